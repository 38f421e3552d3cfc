// An lvsd pair's elections under keepalived's preemption settings and tracking: nopreempt keeps a higher-priority
// BACKUP from taking over, preempt_delay holds it back for that long, and a tracked interface going down puts a
// sync group's members in FAULT together so the peer takes both addresses (and gives them back when it returns).
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { Lab } from '../../src/testing/netns.js';
import { VrrpLab, fifoLines, type PairDaemon } from '../../src/testing/vrrp-lab.js';

const skip = Lab.canRun();
const ADVERT_MS = 200;
/** RFC 5798 §6.1: Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time. */
const downMs = (priority: number) => 3 * ADVERT_MS + ((256 - priority) * ADVERT_MS) / 256;

const instance = (lab: VrrpLab, name: string, vrid: number, vip: number, priority: number, extra: string) => `vrrp_instance ${name} {
  state BACKUP
  interface lan0
  virtual_router_id ${vrid}
  priority ${priority}
  advert_int ${ADVERT_MS / 1000}
  virtual_ipaddress {
    ${lab.addr(vip)}/24
  }
${extra}}
`;
const globals = (name: string) => `global_defs {\n  router_id ${name}\n  vrrp_version 3\n}\n`;
const last = (d: PairDaemon, inst: string) => d.states(inst).at(-1)?.state;

t.test('nopreempt and preempt_delay', { skip: skip ?? false }, async (t) => {
  const lab = new VrrpLab('vn', 2);
  t.teardown(() => lab.teardown());
  const b = lab.start(lab.b, 'b', globals('b') + instance(lab, 'VI_1', 51, 100, 100, ''));
  await lab.until('b to become MASTER alone', () => last(b, 'VI_1') === 'MASTER', 20_000);

  let a = lab.start(lab.a, 'a', globals('a') + instance(lab, 'VI_1', 51, 100, 150, '  nopreempt\n'));
  await lab.until('a to start in BACKUP', () => last(a, 'VI_1') === 'BACKUP', 20_000);
  await sleep(3 * downMs(150));
  t.equal(last(a, 'VI_1'), 'BACKUP', 'with nopreempt a (150) stays BACKUP beside a master of priority 100');
  t.equal(last(b, 'VI_1'), 'MASTER');
  a.proc.kill('SIGTERM');
  t.equal(await a.exited, 0);
  t.equal(last(b, 'VI_1'), 'MASTER', 'a BACKUP stopping changes nothing for the master');

  a = lab.start(lab.a, 'a', globals('a') + instance(lab, 'VI_1', 51, 100, 150, '  preempt_delay 1\n'));
  const backupAt = (await lab.until('a to start in BACKUP', () => last(a, 'VI_1') === 'BACKUP', 20_000));
  const masterAt = await lab.until('a to preempt after the delay', () => last(a, 'VI_1') === 'MASTER', 5_000);
  // keepalived preempt_time: lower-priority adverts are accepted for preempt_delay, then Master_Down_Interval runs.
  const after = masterAt - (a.states('VI_1')[0]?.at ?? backupAt);
  t.ok(after >= 1_000 && after < 1_000 + downMs(150) + 600, `a preempted ${Math.round(after)} ms after starting (preempt_delay 1 s + Master_Down_Interval ${downMs(150)} ms)`);
  await lab.until('b to yield', () => last(b, 'VI_1') === 'BACKUP', 2_000);
  t.ok(lab.hasVip(lab.a, lab.addr(100)) && !lab.hasVip(lab.b, lab.addr(100)), 'the VIP moved to a');
  a.proc.kill('SIGTERM');
  b.proc.kill('SIGTERM');
  t.same([await a.exited, await b.exited], [0, 0]);
});

t.test('track_interface down puts a sync group in FAULT together; the peer takes both addresses', { skip: skip ?? false }, async (t) => {
  const lab = new VrrpLab('vt', 3);
  t.teardown(() => lab.teardown());
  // A veth pair inside a as the tracked link (this kernel has no dummy driver).
  lab.lab.exec(lab.a, 'ip', ['link', 'add', 'trk0', 'type', 'veth', 'peer', 'name', 'trk1']);
  lab.lab.exec(lab.a, 'ip', ['link', 'set', 'trk0', 'up']);
  lab.lab.exec(lab.a, 'ip', ['link', 'set', 'trk1', 'up']);
  const group = `vrrp_sync_group G {\n  group {\n    VI_1\n    VI_2\n  }\n}\n`;
  const fifo = (n: string) => `  vrrp_notify_fifo ${lab.dir}/${n}.fifo\n`;
  const a = lab.start(lab.a, 'a', globals('a').replace('}\n', fifo('a') + '}\n') + group +
    instance(lab, 'VI_1', 51, 100, 150, '') + instance(lab, 'VI_2', 52, 101, 150, '  track_interface {\n    trk0\n  }\n'));
  const b = lab.start(lab.b, 'b', globals('b') + group + instance(lab, 'VI_1', 51, 100, 100, '') + instance(lab, 'VI_2', 52, 101, 100, ''));
  const both = (d: PairDaemon, s: string) => last(d, 'VI_1') === s && last(d, 'VI_2') === s;
  await lab.until('a MASTER of both', () => both(a, 'MASTER'), 20_000);
  await lab.until('b BACKUP of both', () => both(b, 'BACKUP'), 20_000);

  lab.lab.exec(lab.a, 'ip', ['link', 'set', 'trk0', 'down']);
  await lab.until('a FAULT in both instances', () => both(a, 'FAULT'), 2_000);
  await lab.until('b MASTER of both', () => both(b, 'MASTER'), 2_000);
  t.ok([100, 101].every((h) => lab.hasVip(lab.b, lab.addr(h)) && !lab.hasVip(lab.a, lab.addr(h))), 'b holds both addresses, a neither');
  await lab.until('c to follow both addresses to b', () => lab.neighbour(lab.addr(100)) === lab.mac(lab.b) || lab.neighbour(lab.addr(100)) === null, 2_000);

  lab.lab.exec(lab.a, 'ip', ['link', 'set', 'trk0', 'up']);
  await lab.until('a MASTER of both again (preempt)', () => both(a, 'MASTER'), 5_000);
  await lab.until('b BACKUP of both again', () => both(b, 'BACKUP'), 2_000);
  t.ok([100, 101].every((h) => lab.hasVip(lab.a, lab.addr(h)) && !lab.hasVip(lab.b, lab.addr(h))), 'both addresses back on a');
  t.same(a.states('VI_1').map((s) => s.state), ['BACKUP', 'MASTER', 'FAULT', 'BACKUP', 'MASTER'], 'VI_1 followed its group although its own links never failed');
  const lines = fifoLines(`${lab.dir}/a.fifo`);
  t.same(lines.filter((l) => l.startsWith('GROUP')), ['GROUP "G" MASTER 0', 'GROUP "G" FAULT 0', 'GROUP "G" BACKUP 0', 'GROUP "G" MASTER 0'], 'the group\'s transitions on the FIFO, priority 0 as keepalived writes it');
  t.ok(lines.indexOf('INSTANCE "VI_2" FAULT 150') >= 0 && lines.indexOf('INSTANCE "VI_2" FAULT 150') < lines.indexOf('GROUP "G" FAULT 0'), 'the tracking member\'s FAULT is written before its group\'s');
  a.proc.kill('SIGTERM');
  b.proc.kill('SIGTERM');
  t.same([await a.exited, await b.exited], [0, 0]);
});
