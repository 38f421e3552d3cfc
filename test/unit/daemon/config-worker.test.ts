import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfigInWorker } from '../../../src/daemon/config-worker.js';
import { splitLoaded } from '../../../src/daemon/config-worker-main.js';
import { loadConfig } from '../../../src/daemon/config-source.js';
import { SLICE_UNITS } from '../../../src/ports/pause.js';

// Issue 11: the worker hands the configuration back in parts (the head, then real servers SLICE_UNITS at a
// time, one per request), so no single message costs the event loop a long deserialization. What arrives
// must be exactly what the reader built, and a bad file must still fail as one error.

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function servers(counts: readonly number[]): string {
  const lines: string[] = [];
  for (const [v, n] of counts.entries()) {
    lines.push(`virtual_server 192.0.2.${v} 80 {`, '  lb_algo rr', '  protocol TCP');
    for (let i = 0; i < n; i++) lines.push(`  real_server 10.${v}.${i >> 8}.${i & 255} 8080 {`, `    weight ${1 + (i % 5)}`, '  }');
    lines.push('}');
  }
  return `${lines.join('\n')}\n`;
}

t.test('a configuration comes back in parts and is put together as the reader built it', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-cfgworker-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const counts = [SLICE_UNITS * 2 + 7, SLICE_UNITS, 3];
  const file = write(dir, 'keepalived.conf', servers(counts));
  const direct = loadConfig(file, 'test');

  const { head, parts } = splitLoaded(direct);
  t.equal(parts.length, 3 + 1 + 1, 'one part per SLICE_UNITS real servers of each virtual server, begun or full');
  t.ok(parts.every((p) => p.list.length <= SLICE_UNITS), 'no part holds more than SLICE_UNITS real servers');
  t.same(head.config?.virtualServers.map((v) => v.realServers.length), [0, 0, 0], 'the head carries no real servers');

  const viaWorker = await loadConfigInWorker(file, 'test');
  t.same(viaWorker, direct, 'the parts put together are the configuration the reader built');
  t.same(viaWorker.config?.virtualServers.map((v) => v.realServers.length), counts);
});

t.test('a file with errors comes back whole, with its diagnostics and no configuration', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-cfgworker-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = write(dir, 'bad.conf', 'virtual_server 192.0.2.1 80 {\n  lb_algo nonesuch\n  real_server 10.0.0.1 8080 {\n  }\n}\n');
  const r = await loadConfigInWorker(file, 'test');
  t.equal(r.config, null);
  t.same(r, loadConfig(file, 'test'));
  t.ok(r.diagnostics.some((d) => d.severity === 'error'), 'the error is reported');
  await t.rejects(loadConfigInWorker(path.join(dir, 'missing', 'x.conf'), 'test').then((l) => { if (!l.config) throw new Error(l.diagnostics[0]?.message ?? 'no config'); }), 'a missing file gives no configuration');
});
