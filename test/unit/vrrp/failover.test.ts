// Tracking and sync groups end to end: nodes on the in-memory wire under a FakeClock.
import t from 'tap';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';
import { inputs, Wire } from './fixtures/wire.js';

const skew100 = 609.375;
const LAT = 0.5;
const SCRIPT = 'vrrp_script chk {\n script "/bin/true"\n weight -60\n}\n';

t.test('FAULT on a tracked interface: priority 0, the backup takes over in Skew_Time; back up, it preempts again', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const A = wire.add('A', '10.213.0.1', [vrrpConf(instanceConf('VI', 51, ' priority 150\n track_interface {\n  eth1\n }')).instance('VI')]);
  const B = wire.add('B', '10.213.0.2', [vrrpConf(instanceConf('VI', 51, ' priority 100')).instance('VI')]);
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  t.equal(A.node.state('VI').name, 'MASTER');
  A.node.updateTracking(inputs({ down: ['eth1'] }));
  t.equal(A.node.state('VI').name, 'FAULT');
  t.same(wire.adverts('A', 'VI', 10_000), [{ at: 10_000, priority: 0 }], 'priority 0 on the way to FAULT');
  t.same([...A.vips], []);
  clock.advance(5_000);
  t.equal(wire.firstNotify('B', 'VI', 'MASTER'), 10_000 + LAT + skew100);
  t.equal(wire.firstNotify('A', 'VI', 'FAULT'), 10_000);
  A.node.updateTracking(inputs());
  t.equal(A.node.state('VI').name, 'BACKUP');
  clock.advance(10_000);
  t.equal(A.node.state('VI').name, 'MASTER', 'preempts back');
  t.equal(B.node.state('VI').name, 'BACKUP');
});

t.test('the own interface down is a FAULT unless dont_track_primary', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const A = wire.add('A', '10.213.0.1', [vrrpConf(instanceConf('VI', 51, ' priority 150')).instance('VI')]);
  const C = wire.add('C', '10.213.0.3', [vrrpConf(instanceConf('VI', 52, ' priority 150\n dont_track_primary')).instance('VI')]);
  A.node.start(inputs({ down: ['eth0'] }));
  C.node.start(inputs({ down: ['eth0'] }));
  t.equal(A.node.state('VI').name, 'FAULT');
  t.equal(C.node.state('VI').name, 'BACKUP');
  t.same(wire.notifies('VI').map((n) => `${n.host} ${n.state}`), ['A FAULT', 'C BACKUP']);
});

t.test('a failing weighted script lowers the master below the backup, which preempts', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const A = wire.add('A', '10.213.0.1', [vrrpConf(SCRIPT + instanceConf('VI', 51, ' priority 150\n track_script {\n  chk\n }')).instance('VI')]);
  const B = wire.add('B', '10.213.0.2', [vrrpConf(instanceConf('VI', 51, ' priority 100')).instance('VI')]);
  A.node.start(inputs({ scripts: { chk: true } }));
  B.node.start(inputs());
  clock.advance(10_000);
  t.equal(A.node.state('VI').effectivePriority, 150, 'a negative weight counts only while failing');
  A.node.updateTracking(inputs({ scripts: { chk: false } }));
  t.equal(A.node.state('VI').effectivePriority, 90);
  clock.advance(10_000);
  t.equal(B.node.state('VI').name, 'MASTER');
  t.equal(A.node.state('VI').name, 'BACKUP');
  const took = wire.firstNotify('B', 'VI', 'MASTER')!;
  t.ok(took > 10_000 && took <= 10_000 + 1_000 + 3_609.375 + LAT, `B took over at ${took}`);
  t.ok(wire.adverts('A', 'VI', 10_000).some((a) => a.priority === 90), 'A advertised its lowered priority');
});

t.test('an unweighted script not yet run holds the instance in INIT; its first result decides', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const conf = 'vrrp_script chk {\n script "/bin/true"\n}\n' + instanceConf('VI', 51, ' priority 150\n track_script {\n  chk\n }');
  const A = wire.add('A', '10.213.0.1', [vrrpConf(conf).instance('VI')]);
  A.node.start(inputs());
  t.equal(A.node.state('VI').name, 'INIT');
  t.same(wire.notifies('VI'), [], 'no notification while held');
  A.node.updateTracking(inputs({ scripts: { chk: false } }));
  t.equal(A.node.state('VI').name, 'FAULT');
  A.node.updateTracking(inputs({ scripts: { chk: true } }));
  t.equal(A.node.state('VI').name, 'BACKUP');
  clock.advance(4_000);
  t.equal(A.node.state('VI').name, 'MASTER');
});

const GROUP = (p: number, trackVi1 = '') => vrrpConf(
  instanceConf('VI_1', 51, ` priority ${p}${trackVi1}`) + instanceConf('VI_2', 52, ` priority ${p}`, '10.213.0.200')
  + 'vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n',
);

t.test('sync group: one member’s FAULT takes the group to FAULT; the peer group takes over together', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const a = GROUP(150, '\n track_interface {\n  eth1\n }');
  const b = GROUP(100);
  const A = wire.add('A', '10.213.0.1', a.config.vrrpInstances, a.groups);
  const B = wire.add('B', '10.213.0.2', b.config.vrrpInstances, b.groups);
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  t.same(['VI_1', 'VI_2'].map((i) => A.node.state(i).name), ['MASTER', 'MASTER']);
  t.equal(A.node.group('G'), 'MASTER');
  t.equal(B.node.group('G'), 'BACKUP');
  A.node.updateTracking(inputs({ down: ['eth1'] }));
  t.same(['VI_1', 'VI_2'].map((i) => A.node.state(i).name), ['FAULT', 'FAULT'], 'VI_2 follows VI_1 into FAULT');
  t.same(wire.adverts('A', 'VI_2', 10_000), [{ at: 10_000, priority: 0 }], 'and says priority 0 too');
  clock.advance(2_000);
  t.same(['VI_1', 'VI_2'].map((i) => B.node.state(i).name), ['MASTER', 'MASTER']);
  t.same([...A.vips], []);
  t.same([...B.vips].sort(), ['10.213.0.100', '10.213.0.200']);
  A.node.updateTracking(inputs());
  t.same(['VI_1', 'VI_2'].map((i) => A.node.state(i).name), ['BACKUP', 'BACKUP'], 'both leave FAULT together');
  clock.advance(10_000);
  t.same(['VI_1', 'VI_2'].map((i) => A.node.state(i).name), ['MASTER', 'MASTER']);
  t.same(['VI_1', 'VI_2'].map((i) => B.node.state(i).name), ['BACKUP', 'BACKUP']);
});

t.test('sync group: a member that yields to a higher priority takes its partner to BACKUP', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const a = GROUP(150);
  const A = wire.add('A', '10.213.0.1', a.config.vrrpInstances, a.groups);
  const solo = vrrpConf(instanceConf('VI_1', 51, ' priority 200')).instance('VI_1');
  const C = wire.add('C', '10.213.0.3', [solo]);
  A.node.start(inputs());
  clock.advance(10_000);
  t.equal(A.node.state('VI_2').name, 'MASTER');
  C.node.start(inputs());
  clock.advance(5_000);
  t.equal(C.node.state('VI_1').name, 'MASTER');
  t.same(['VI_1', 'VI_2'].map((i) => A.node.state(i).name), ['BACKUP', 'BACKUP'], 'VI_2 follows although nobody else serves VRID 52');
  t.equal(A.node.group('G'), 'BACKUP');
  const groupEvents = wire.log.filter((e) => e.effect.kind === 'group').map((e) => (e.effect.kind === 'group' ? e.effect.state : ''));
  t.same(groupEvents, ['MASTER', 'BACKUP']);
});
