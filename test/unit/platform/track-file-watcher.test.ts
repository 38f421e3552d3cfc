// FILE_CHECK's watcher on real files: in-place writes, atomic renames, a file created later, init, bad numbers;
// and the runner following it (value × weight into the real server's weight).
import t from 'tap';
import { mkdtempSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthRunner } from '../../../src/health/runner.js';
import { TrackFileWatcher } from '../../../src/platform/track-file-watcher.js';
import type { TrackFile } from '../../../src/model/config.js';
import { desiredTable } from '../../../src/reconcile/desired.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { config, fixedRandom, ScriptedPeers } from '../health/fixtures/peers.js';

const dir = mkdtempSync(join(tmpdir(), 'lvsd-track-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const tf = (name: string, init: TrackFile['init'] = null): TrackFile => ({ loc: { file: 't', line: 1 }, name, path: join(dir, name), weight: 1, reverse: false, init });

async function until(cond: () => boolean, ms = 3_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

t.test('values follow writes, renames and late creation', async (t) => {
  writeFileSync(join(dir, 'a'), '5\n');
  const changes: string[] = [];
  const invalid: string[] = [];
  const w = new TrackFileWatcher([tf('a'), tf('late'), tf('init', { value: 7, overwrite: false })], {
    changed: (n, v) => changes.push(`${n}=${v}`),
    invalid: (n) => invalid.push(n),
  });
  w.start();
  t.teardown(() => w.close());
  t.equal(w.value('a'), 5);
  t.equal(w.value('late'), 0, 'a missing file reads 0');
  t.equal(w.value('init'), 7);
  t.equal(readFileSync(join(dir, 'init'), 'utf8'), '7\n', 'init created the file');
  writeFileSync(join(dir, 'a'), '0x10');
  t.ok(await until(() => changes.includes('a=16')), 'in-place write');
  writeFileSync(join(dir, 'a.tmp'), '-3');
  renameSync(join(dir, 'a.tmp'), join(dir, 'a'));
  t.ok(await until(() => changes.includes('a=-3')), 'atomic rename');
  writeFileSync(join(dir, 'late'), '2');
  t.ok(await until(() => changes.includes('late=2')), 'created later');
  writeFileSync(join(dir, 'a'), '99999999999');
  t.ok(await until(() => invalid.includes('a')), 'out of range is reported');
  t.equal(w.value('a'), -3, 'and the last value kept');
});

t.test('a directory that does not exist is reported, not thrown', async (t) => {
  const why: string[] = [];
  const w = new TrackFileWatcher([{ ...tf('x'), path: join(dir, 'no-such-dir', 'x') }], { changed: () => undefined, invalid: (_n, _p, reason) => why.push(reason) });
  w.start();
  w.close();
  t.match(why, [/cannot watch .*no-such-dir: ENOENT/]);
  t.equal(w.value('x'), 0);
});

t.test('the runner follows the watcher: value × weight, reverse, and weight 0 as up/down', async (t) => {
  const path = join(dir, 'w');
  writeFileSync(path, '0');
  const cfg = config(`track_file w {\n file ${path}\n weight 3\n}\ntrack_file gate {\n file ${join(dir, 'gate')}\n}\nvirtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.1.1 80 {\n  weight 10\n  FILE_CHECK {\n   track_file w\n  }\n  FILE_CHECK {\n   track_file gate\n   weight 0\n  }\n }\n}\n`);
  const clock = new FakeClock();
  let runner: HealthRunner | null = null;
  const w = new TrackFileWatcher(cfg.trackFiles, { changed: (n, v) => runner?.fileChanged(n, v), invalid: () => undefined });
  w.start();
  t.teardown(() => w.close());
  runner = new HealthRunner(cfg, { clock, prober: new ScriptedPeers(clock), random: fixedRandom(0), sink: () => undefined, trackFileValue: (n) => w.value(n) });
  runner.start();
  const dests = () => desiredTable(cfg, runner!).services[0]!.dests.map((d) => `${d.addr.text}:${d.weight}`);
  t.same(dests(), ['10.0.1.1:10']);
  writeFileSync(path, '4');
  t.ok(await until(() => dests()[0] === '10.0.1.1:22'), '10 + 4 × 3');
  writeFileSync(join(dir, 'gate'), '1');
  t.ok(await until(() => dests().length === 0), 'weight 0 and a non-zero value: down');
  writeFileSync(join(dir, 'gate'), '0');
  t.ok(await until(() => dests()[0] === '10.0.1.1:22'), 'back up with its weight');
  runner.stop();
});
