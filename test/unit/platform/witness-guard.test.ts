// The split-brain defence end to end under a FakeClock: two VrrpNodes on the in-memory wire, each with a
// WitnessGuard writing its slot of one real witness file. A partition (adverts lost, both alive) must not
// promote the BACKUP; a crashed MASTER (its slot stops moving) must, once the slot is stale.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { WitnessGuard } from '../../../src/platform/witness-guard.js';
import { ProcessScriptRunner } from '../../../src/platform/script-runner.js';
import type { Clock } from '../../../src/ports/clock.js';
import { CrashableClock } from '../../../src/testing/crashable-clock.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import type { VrrpInstance } from '../../../src/model/config-vrrp.js';
import { instanceConf, vrrpConf } from '../vrrp/fixtures/conf.js';
import { inputs, Wire } from '../vrrp/fixtures/wire.js';

const conf = (file: string, priority: number, slot: number, peer: number, timeout: string) => vrrpConf(instanceConf('VI', 51, ` version 3
 advert_int 0.1
 priority ${priority}
 lvsd_quorum_witness {
  path ${file}
  slot ${slot}
  peer_slot ${peer}${timeout}
 }`)).instance('VI');

function pair(t: Test, timeout = '') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-witness-'));
  const file = path.join(dir, 'witness');
  const clock = new FakeClock();
  const wire = new Wire(clock, 0.5);
  const guards: WitnessGuard[] = [];
  t.teardown(() => { for (const g of guards) g.close(); rmSync(dir, { recursive: true, force: true }); });
  const host = (name: string, addr: string, inst: VrrpInstance, c: Clock) => {
    const guard = new WitnessGuard({ instances: [inst], clock: c, scripts: new ProcessScriptRunner() });
    guards.push(guard);
    guard.start();
    return { guard, h: wire.add(name, addr, [inst], [], { clock: c, guard, onEffect: (e) => guard.follow(e) }) };
  };
  const aClock = new CrashableClock(clock);
  const A = host('A', '10.213.0.1', conf(file, 150, 0, 1, timeout), aClock);
  const B = host('B', '10.213.0.2', conf(file, 100, 1, 0, timeout), clock);
  A.h.node.start(inputs());
  B.h.node.start(inputs());
  return { clock, wire, aClock, A, B };
}

// v3, 100 ms adverts, priority 100: Master_Down_Interval = 300 + 60.9375 ms; the witness beats every
// 100 ms and a slot is stale `timeout` (300 ms by default) after this director first read its last change.
const MDI_B = 360.9375;

t.test('partition with a healthy peer: the BACKUP holds, for as long as the peer’s slot keeps moving', async (t) => {
  const { clock, wire, A, B } = pair(t);
  await clock.advanceAsync(2_000);
  t.equal(A.h.node.state('VI').name, 'MASTER');
  t.equal(B.h.node.state('VI').name, 'BACKUP');
  A.h.alive = false; // unplugged: A still runs (and writes its slot), B hears nothing
  const cut = clock.now();
  await clock.advanceAsync(10_000);
  t.equal(B.h.node.state('VI').name, 'BACKUP', 'no promotion during a 10 s partition');
  t.same([...B.h.vips], []);
  t.equal(A.h.node.state('VI').name, 'MASTER');
  const held = B.h.node.holds('VI').get('peer-master') ?? 0;
  t.ok(held >= 25, `the guard held the promotion ${held} times, by reason peer-master`);
  t.equal(wire.firstNotify('B', 'VI', 'MASTER', cut), null);
  // The network comes back: adverts reach B again, nothing changes.
  A.h.alive = true;
  await clock.advanceAsync(2_000);
  t.equal(B.h.node.state('VI').name, 'BACKUP');
  t.equal(A.h.node.state('VI').name, 'MASTER');
});

t.test('dead peer: the BACKUP promotes once the MASTER’s slot is stale (timeout 1 s, longer than Master_Down_Interval)', async (t) => {
  const { clock, wire, aClock, A, B } = pair(t, '\n  timeout 1');
  await clock.advanceAsync(2_000);
  // SIGKILL: A's node and witness beat stop where they are; its slot still says MASTER.
  await clock.advanceAsync(50);
  A.h.alive = false;
  aClock.crash();
  const crash = clock.now();
  await clock.advanceAsync(3_000);
  const at = wire.firstNotify('B', 'VI', 'MASTER', crash);
  t.not(at, null, 'B took over');
  const after = at! - crash;
  // A's last write was at most one beat before the crash, and B first read it at most one beat after it was made.
  t.ok(after >= 900 && after <= 1_100 + 1, `takeover ${after} ms after the crash (slot stale 1000 ± 100 ms; Master_Down_Interval ${MDI_B} alone)`);
  t.same([...B.h.vips], ['10.213.0.100']);
  t.ok((B.h.node.holds('VI').get('peer-master') ?? 0) >= 1, 'held while the slot was fresh');
});

t.test('clean stop: the MASTER writes INIT, the BACKUP takes over within Skew_Time without waiting for staleness', async (t) => {
  const { clock, wire, A, B } = pair(t, '\n  timeout 1');
  await clock.advanceAsync(2_000);
  const stop = clock.now();
  A.h.node.stop();
  A.guard.close();
  await clock.advanceAsync(1_000);
  const at = wire.firstNotify('B', 'VI', 'MASTER', stop);
  t.ok(at !== null && at - stop < 70, `B master ${at === null ? 'never' : at - stop} ms after A's priority 0 (Skew_Time 60.9 ms)`);
  t.same(B.h.node.holds('VI'), new Map(), 'nothing held');
});
