// deploy/: every example keepalived.conf is accepted by `lvsd -t` for both directors of its pair, and the
// @lb1/@lb2 lines really pick each host's role; the systemd unit declares what lvsd does (Type=notify,
// the capabilities it needs and no others).
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, LVSD } from '../../../src/testing/daemon.js';

const deploy = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'deploy');
const examples = readdirSync(path.join(deploy, 'examples')).filter((f) => f.endsWith('.conf'));

t.test('lvsd -t accepts every example', async (t) => {
  ensureBuilt();
  t.ok(examples.length >= 3, `examples: ${examples.join(', ')}`);
  for (const f of examples) {
    for (const id of ['lb1', 'lb2']) {
      const r = spawnSync(process.execPath, [LVSD, '-t', '-i', id, '-f', path.join(deploy, 'examples', f)], { encoding: 'utf8' });
      t.equal(r.status, 0, `${f} as ${id}: ${r.stderr}`);
      t.notMatch(r.stderr, /: error:/, `${f} as ${id} has no errors`);
    }
  }
});

t.test('the pair files give each director its own role', async (t) => {
  const dump = (id: string) => JSON.parse(execFileSync(process.execPath, [LVSD, '--dump-config', '-i', id, '-f', path.join(deploy, 'examples', 'dr-web-pair.conf')],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { global: { routerId: string }; vrrpInstances: { priority: number; state: string }[] };
  const a = dump('lb1');
  const b = dump('lb2');
  t.same([a.global.routerId, a.vrrpInstances[0]?.priority, a.vrrpInstances[0]?.state], ['lb1', 150, 'MASTER']);
  t.same([b.global.routerId, b.vrrpInstances[0]?.priority, b.vrrpInstances[0]?.state], ['lb2', 100, 'BACKUP']);
});

t.test('the systemd unit', async (t) => {
  const unit = readFileSync(path.join(deploy, 'systemd', 'lvsd.service'), 'utf8');
  const values = (key: string) => unit.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
  t.same(values('Type'), ['notify'], 'lvsd sends READY=1');
  t.same(values('CapabilityBoundingSet'), ['CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE']);
  t.same(values('AmbientCapabilities'), values('CapabilityBoundingSet'));
  for (const k of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'ProtectKernelModules']) t.same(values(k), ['yes'], k);
  t.same(values('ProtectSystem'), ['strict']);
  t.match(values('ExecReload')[0], /kill -HUP \$MAINPID/);
});
