// Two lvsd daemons (proxy plane) in two network namespaces on one bridge run VRRP against each other: election by
// priority, takeover on SIGKILL and on SIGTERM (priority 0), preemption back, the client's neighbour entry
// following the VIP's MAC at each takeover (gratuitous ARP, no expiry wait), a client loop through the VIP across
// a master crash, a SIGHUP under an unchanged configuration, and notify scripts run as script_user.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { Lab } from '../../src/testing/netns.js';
import { VrrpLab, fifoLines } from '../../src/testing/vrrp-lab.js';

const skip = Lab.canRun();
const ADVERT_MS = 200;
/** RFC 5798 §6.1: Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time, Skew_Time = ((256 − Priority) × Master_Adver_Interval) / 256. */
const downMs = (priority: number) => 3 * ADVERT_MS + ((256 - priority) * ADVERT_MS) / 256;
const skewMs = (priority: number) => ((256 - priority) * ADVERT_MS) / 256;

// A real server and a client loop in c: each request is a fresh TCP connection to the VIP, 300 ms to answer.
const CLIENT = `
const net = require('net');
const [rs, vip, runMs] = [process.argv[1], process.argv[2], Number(process.argv[3])];
net.createServer((s) => s.on('data', (d) => s.end(d))).listen(8080, rs, async () => {
  const end = Date.now() + runMs; let ok = 0; const failed = [];
  for (let i = 0; i < 10000 && Date.now() < end; i++) {
    const at = Date.now();
    const good = await new Promise((res) => {
      const s = net.connect({ host: vip, port: 80 }); const timer = setTimeout(() => { s.destroy(); res(false); }, 300);
      s.on('connect', () => s.write('ping')); s.on('data', (d) => { clearTimeout(timer); s.destroy(); res(d.toString() === 'ping'); });
      s.on('error', () => { clearTimeout(timer); res(false); });
    });
    if (good) ok++; else failed.push(at);
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log(JSON.stringify({ ok, failed }));
  process.exit(0);
});`;

const conf = (lab: VrrpLab, name: string, priority: number, extra = '') => `global_defs {
  router_id ${name}
  vrrp_version 3
  script_user nobody
  vrrp_notify_fifo ${lab.dir}/${name}.fifo
}
vrrp_instance VI_1 {
  state BACKUP
  interface lan0
  virtual_router_id 51
  priority ${priority}
  advert_int ${ADVERT_MS / 1000}
  virtual_ipaddress {
    ${lab.addr(100)}/24
  }
  notify ${lab.dir}/notify.sh
${extra}}
virtual_server ${lab.addr(100)} 80 {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server ${lab.addr(3)} 8080 {
    weight 1
  }
}
`;

const NOTIFY = '#!/bin/sh\necho "$(id -u) $*" >> "$(dirname "$0")/notify.log"\n';

t.test('an lvsd pair: election, SIGKILL takeover, preemption back, SIGHUP, SIGTERM takeover', { skip: skip ?? false }, async (t) => {
  const lab = new VrrpLab('vp', 1);
  t.teardown(() => lab.teardown());
  lab.file('notify.sh', NOTIFY, 0o755);
  const vip = lab.addr(100);
  lab.captureAdverts();
  const macA = lab.mac(lab.a);
  const macB = lab.mac(lab.b);

  let a = lab.start(lab.a, 'a', conf(lab, 'a', 150));
  const b = lab.start(lab.b, 'b', conf(lab, 'b', 100));
  t.teardown(() => { if (!t.passing()) writeFileSync('/tmp/vwire-pair.log', `a:\n${a.text()}\nb:\n${b.text()}`); });
  await lab.until('a to become MASTER', () => a.states('VI_1').at(-1)?.state === 'MASTER', 20_000);
  await lab.until('b to be BACKUP', () => b.states('VI_1').at(-1)?.state === 'BACKUP', 20_000);
  t.ok(lab.hasVip(lab.a, vip) && !lab.hasVip(lab.b, vip), 'the higher priority (a) holds the VIP, b does not');

  const client = lab.lab.spawn(lab.c, process.execPath, ['-e', CLIENT, lab.addr(3), vip, '9000']);
  let clientOut = '';
  client.stdout?.on('data', (d: Buffer) => { clientOut += d.toString(); });
  const clientDone = new Promise<void>((r) => client.once('exit', () => r()));
  await lab.until('c to reach the VIP through a', () => lab.neighbour(vip) === macA, 5_000);
  await sleep(1_000);

  // SIGKILL: b takes over after its Master_Down_Interval (RFC 5798 §6.4.2), and says so to c with a gratuitous ARP.
  const killedAt = performance.now();
  a.proc.kill('SIGKILL');
  await a.exited;
  const bMaster = await lab.until('b to take over', () => b.states('VI_1').at(-1)?.state === 'MASTER', 5_000);
  // The Master_Down_Timer runs from a's last advert, which c saw about when b did.
  const lastAdvert = lab.adverts.filter((x) => x.src === lab.addr(1) && x.at <= killedAt).at(-1)?.at ?? killedAt;
  const takeover = bMaster - lastAdvert;
  t.ok(takeover >= downMs(100) - 30 && takeover < downMs(100) + 300, `b took over ${Math.round(takeover)} ms after a's last advert (Master_Down_Interval ${downMs(100)} ms), ${Math.round(bMaster - killedAt)} ms after the SIGKILL`);
  const movedAt = await lab.until('c’s neighbour entry to point at b', () => lab.neighbour(vip) === macB, 1_000);
  t.ok(movedAt - bMaster < 1_000, `c's neighbour entry moved to b's MAC ${Math.round(movedAt - bMaster)} ms after b's takeover was logged`);
  t.ok(lab.hasVip(lab.b, vip), 'b holds the VIP');

  // a comes back: it clears the VIP its killed run left, then preempts b after its own Master_Down_Interval.
  a = lab.start(lab.a, 'a', conf(lab, 'a', 150));
  const aBack = await lab.until('a to preempt', () => a.states('VI_1').at(-1)?.state === 'MASTER', 20_000);
  const bYields = await lab.until('b to yield', () => b.states('VI_1').at(-1)?.state === 'BACKUP', 2_000);
  await lab.until('c’s neighbour entry to point at a again', () => lab.neighbour(vip) === macA, 1_000);
  t.notOk(lab.hasVip(lab.b, vip), 'b released the VIP');
  await clientDone;
  const res = JSON.parse(clientOut) as { ok: number; failed: number[] };
  t.ok(res.ok > 50, `the client loop got ${res.ok} answers`);
  // A request fails only in a takeover window: from the kill until b's takeover (a's kernel keeps the VIP of the
  // killed process and refuses), and while a preempts b. 300 ms of slack either side: one request's timeout.
  const epoch = (p: number) => p + performance.timeOrigin;
  const windows = [[epoch(killedAt) - 300, epoch(movedAt) + 300], [epoch(aBack) - 300, epoch(bYields) + 300]] as const;
  const outside = res.failed.filter((at) => !windows.some(([from, to]) => at >= from && at <= to));
  t.same(outside, [], `${res.failed.length} requests failed (of ${res.ok + res.failed.length}), all inside the two takeover windows`);
  t.comment(`figures: takeover ${Math.round(takeover)} ms after the last advert of the killed master; ${res.failed.length} of ${res.ok + res.failed.length} client requests failed`);

  // SIGHUP under the same configuration: no transition, the VIP stays, a's adverts keep their rhythm.
  await sleep(500);
  const before = { a: a.states('VI_1').length, b: b.states('VI_1').length };
  const hupAt = performance.now();
  a.proc.kill('SIGHUP');
  b.proc.kill('SIGHUP');
  await lab.until('a to log the reload', () => a.lines.some((l) => l.at >= hupAt && l.fields.msg === 'configuration applied'), 5_000);
  await sleep(1_500);
  const fromA = lab.adverts.filter((x) => x.src === lab.addr(1) && x.at > hupAt - 1_000);
  const gaps = fromA.slice(1).map((x, i) => x.at - fromA[i]!.at);
  const maxGap = Math.max(...gaps);
  t.same({ a: a.states('VI_1').length, b: b.states('VI_1').length }, before, 'no state change on either side');
  t.ok(lab.hasVip(lab.a, vip), 'a kept the VIP');
  t.notOk(fromA.some((x) => x.priority === 0), 'no priority-0 advert');
  t.ok(fromA.length >= 10 && maxGap < ADVERT_MS * 1.5, `${fromA.length} adverts around the SIGHUP, the longest gap ${Math.round(maxGap)} ms (interval ${ADVERT_MS} ms)`);

  // SIGTERM: a sends priority 0, b takes over within Skew_Time (RFC 5798 §6.4.2), a removes the VIP and exits 0.
  const fifo = fifoLines(`${lab.dir}/a.fifo`);
  const termAt = performance.now();
  a.proc.kill('SIGTERM');
  const bAgain = await lab.until('b to take over after the priority 0', () => b.states('VI_1').at(-1)?.state === 'MASTER', 3_000);
  const zero = lab.adverts.find((x) => x.src === lab.addr(1) && x.priority === 0 && x.at >= termAt);
  t.ok(zero, 'a sent a priority-0 advert');
  const afterZero = bAgain - (zero?.at ?? termAt);
  t.ok(afterZero < skewMs(100) + 250, `b took over ${Math.round(afterZero)} ms after a's priority 0 (Skew_Time ${skewMs(100)} ms)`);
  t.equal(await a.exited, 0, 'a exits 0');
  t.notOk(lab.hasVip(lab.a, vip), 'a removed the VIP');
  t.comment(`figures: SIGHUP longest advert gap ${Math.round(maxGap)} ms; takeover ${Math.round(afterZero)} ms after priority 0`);

  t.same(fifo, ['INSTANCE "VI_1" BACKUP 150', 'INSTANCE "VI_1" MASTER 150'], 'the second run of a wrote its transitions to the FIFO in order');
  const notes = readFileSync(`${lab.dir}/notify.log`, 'utf8').split('\n').filter(Boolean);
  t.ok(notes.includes('65534 INSTANCE VI_1 MASTER 150'), 'notify ran as nobody with keepalived’s arguments');
  t.ok(notes.includes('65534 INSTANCE VI_1 STOP 150') || notes.includes('65534 INSTANCE VI_1 STOP 0'), 'notify STOP ran on SIGTERM');
  b.proc.kill('SIGTERM');
  t.equal(await b.exited, 0);
});
