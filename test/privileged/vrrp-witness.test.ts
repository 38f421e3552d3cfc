// The split-brain defence on real sockets: two directors (lvsd's VRRP engine, VRRPv3 at 100 ms) in two network
// namespaces on a veth pair, sharing one quorum-witness file. A partition with a healthy peer must not move the
// VIP; a dead peer must; a failing fence command must stop the takeover until it succeeds.
import t, { type Test } from 'tap';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseIp } from '../../src/model/address.js';
import { nativeUnavailable } from '../../src/native/addon.js';
import { Lab } from '../../src/testing/netns.js';
import { Director } from '../../src/testing/vrrp-director.js';
import { until } from '../../src/testing/keepalived-pair.js';
import { instanceConf, vrrpConf } from '../unit/vrrp/fixtures/conf.js';

const noAddon = nativeUnavailable();
const skip = Lab.canRun() ?? (noAddon ? `native addon: ${noAddon}` : null) ?? false;
const VIP = '10.215.0.100';
const run = promisify(execFile);

const conf = (file: string, priority: number, slot: number, peer: number, extra = '') => vrrpConf(instanceConf('VI', 52, ` version 3
 advert_int 0.1
 priority ${priority}
 lvsd_quorum_witness {
  path ${file}
  slot ${slot}
  peer_slot ${peer}
  timeout 0.5${extra}
 }`, `${VIP}/24`).replace('interface eth0', 'interface lan0')).instance('VI');

function pair(t: Test, tag: string, fenceB = '') {
  const lab = new Lab(tag);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-wit-'));
  const file = path.join(dir, 'witness');
  const a = lab.host('a');
  const b = lab.host('b');
  lab.bridge([{ ns: a, addr: '10.215.0.1/24' }, { ns: b, addr: '10.215.0.2/24' }]);
  const mk = (ns: string, addr: string, priority: number, slot: number, peer: number, extra: string) =>
    new Director({ ns, iface: 'lan0', addr: parseIp(addr)!, instances: [conf(file, priority, slot, peer, extra)] });
  const A = mk(a, '10.215.0.1', 150, 0, 1, '');
  const B = mk(b, '10.215.0.2', 100, 1, 0, fenceB);
  t.teardown(() => {
    for (const d of [A, B]) d.crash();
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  // Asynchronous: a blocking exec would stall the directors' timers, which run in this process.
  const holds = async (ns: string) => (await run('ip', ['-n', ns, '-4', 'addr', 'show', 'dev', 'lan0'])).stdout.includes(VIP);
  return { lab, dir, a, b, A, B, holds };
}


const state = (d: Director) => d.node.state('VI').name;

t.test('partition with a healthy peer: no promotion while its slot says MASTER; dead peer: promotion', { skip }, async (t) => {
  const { lab, a, b, A, B, holds } = pair(t, 'wp');
  A.start();
  B.start();
  await until('A to become MASTER', async () => state(A) === 'MASTER' && await holds(a), 5_000);
  await until('B to hear A', () => state(B) === 'BACKUP', 1_000);
  // Partition: A's side of the switch goes down. Both stay up; only the witness still joins them.
  lab.exec(a, 'ip', ['link', 'set', 'lan0', 'down']);
  await sleep(3_000);
  t.equal(state(B), 'BACKUP', 'B stayed BACKUP through a 3 s partition (without the witness it would take over in 361 ms)');
  t.notOk(await holds(b), 'B never took the VIP');
  t.equal(state(A), 'MASTER');
  const held = B.node.holds('VI').get('peer-master') ?? 0;
  t.ok(held >= 5, `B's guard held the promotion ${held} times (peer-master)`);
  // The partition heals; then A dies (SIGKILL-like: no priority 0, its slot frozen at MASTER).
  lab.exec(a, 'ip', ['link', 'set', 'lan0', 'up']);
  await sleep(500);
  t.equal(state(B), 'BACKUP');
  A.crash();
  const took = await until('B to take over', async () => state(B) === 'MASTER' && await holds(b), 3_000);
  // Stale: 500 ms after B first read A's last write, which was ≤ 100 ms before the crash.
  t.ok(took >= 350 && took < 1_500, `B took over ${Math.round(took)} ms after A died (slot timeout 500 ms)`);
  t.comment(`figures: ${held} holds in a 3 s partition; takeover ${Math.round(took)} ms after the MASTER died`);
});

t.test('fence: a failing command holds the takeover; once it succeeds, B takes over', { skip }, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-fence-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const script = path.join(dir, 'fence');
  const verdict = path.join(dir, 'verdict');
  const calls = path.join(dir, 'calls');
  writeFileSync(script, `#!/bin/sh\necho "$@" >> ${calls}\nexit "$(cat ${verdict})"\n`);
  chmodSync(script, 0o755);
  writeFileSync(verdict, '1');
  const { a, b, A, B, holds } = pair(t, 'wf', `\n  fence ${script}\n  fence_timeout 2`);
  A.start();
  B.start();
  await until('A to become MASTER', async () => state(A) === 'MASTER' && await holds(a), 5_000);
  await until('B to hear A', () => state(B) === 'BACKUP', 1_000);
  A.crash();
  await sleep(2_500);
  t.equal(state(B), 'BACKUP', 'the fence failed: no takeover');
  t.notOk(await holds(b));
  const failed = B.node.holds('VI').get('fence-failed') ?? 0;
  t.ok(failed >= 2, `held ${failed} times by the fence`);
  t.match(readFileSync(calls, 'utf8'), /^VI$/m, 'the fence command got the instance name');
  writeFileSync(verdict, '0');
  const took = await until('B to take over once the fence succeeds', async () => state(B) === 'MASTER' && await holds(b), 2_000);
  t.pass(`took over ${Math.round(took)} ms after the fence was allowed to succeed`);
});
