// Two or three VrrpNodes against each other over the in-memory wire, under a FakeClock: keepalived's and
// the RFCs' timing, end to end through the codec.
import t from 'tap';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';
import { inputs, Wire } from './fixtures/wire.js';

const VI = (body: string, vrid = 51) => vrrpConf(instanceConf('VI', vrid, body)).instance('VI');
/** Skew and Master_Down_Interval at advert_int 1 s (RFC 3768 §6.1): (256 − p)/256 s and 3 s + skew, in whole µs as keepalived. */
const skew = (p: number) => Math.floor(((256 - p) * 1e6) / 256) / 1000;
const mdi = (p: number) => 3000 + skew(p);
const LAT = 0.5;

function pair(a: string, b: string) {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const A = wire.add('A', '10.213.0.1', [VI(a)]);
  const B = wire.add('B', '10.213.0.2', [VI(b)]);
  return { clock, wire, A, B };
}

t.test('election by priority: the higher one takes over after its Master_Down_Interval, the other stays BACKUP', async (t) => {
  const { clock, wire, A, B } = pair(' priority 150', ' priority 100');
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  t.equal(wire.firstNotify('A', 'VI', 'MASTER'), mdi(150), 'A: 3 s + 106/256 s (3414.062 ms) after start');
  t.equal(wire.firstNotify('B', 'VI', 'MASTER'), null);
  t.equal(A.node.state('VI').name, 'MASTER');
  t.equal(B.node.state('VI').name, 'BACKUP');
  t.same([...A.vips], ['10.213.0.100']);
  t.same([...B.vips], []);
  const ads = wire.adverts('A', 'VI');
  t.ok(ads.length >= 6 && ads.every((a, i) => i === 0 || a.at - ads[i - 1]!.at === 1000), 'A advertises every second');
  t.same(B.node.rejections('VI'), new Map(), 'nothing rejected');
});

t.test('master silence: the backup takes over Master_Down_Interval after the last advert it heard', async (t) => {
  const { clock, wire, A, B } = pair(' priority 150', ' priority 100');
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  A.alive = false;
  const last = wire.adverts('A', 'VI').filter((a) => a.at <= 10_000).at(-1)!.at;
  clock.advance(10_000);
  const took = wire.firstNotify('B', 'VI', 'MASTER')!;
  t.equal(took, last + LAT + mdi(100), `B: ${mdi(100)} ms after the last advert arrived`);
  t.ok(took - 10_000 <= mdi(100) && took - 10_000 >= mdi(100) - 1000, 'within 2.61–3.61 s of the failure');
  t.same([...B.vips], ['10.213.0.100']);
});

t.test('graceful stop: priority 0, and the backup takes over after Skew_Time', async (t) => {
  const { clock, wire, A, B } = pair(' priority 150', ' priority 100');
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  A.node.stop();
  t.same(wire.adverts('A', 'VI', 10_000), [{ at: 10_000, priority: 0 }], 'one priority-0 advert');
  t.same([...A.vips], [], 'A released the address');
  t.equal(wire.notifies('VI').filter((n) => n.host === 'A').at(-1)?.state, 'STOP');
  clock.advance(5_000);
  t.equal(wire.firstNotify('B', 'VI', 'MASTER'), 10_000 + LAT + skew(100), '609.375 ms (whole µs: 609.375) after the priority-0 advert');
});

t.test('preempt: a returning higher priority takes the master role back', async (t) => {
  const { clock, wire, A, B } = pair(' priority 150', ' priority 100');
  B.node.start(inputs());
  clock.advance(5_000);
  t.equal(B.node.state('VI').name, 'MASTER');
  A.node.start(inputs());
  clock.advance(10_000);
  const back = wire.firstNotify('A', 'VI', 'MASTER')!;
  t.equal(back, 5_000 + mdi(150), 'A discards the lower adverts and takes over at its Master_Down_Interval');
  t.equal(wire.firstNotify('B', 'VI', 'BACKUP', 5_000), back + LAT, 'B yields on A’s first advert');
  t.same([...B.vips], []);
  t.same([...A.vips], ['10.213.0.100']);
});

t.test('nopreempt: the returning higher priority stays BACKUP', async (t) => {
  const { clock, wire, A, B } = pair(' priority 150\n nopreempt', ' priority 100');
  B.node.start(inputs());
  clock.advance(5_000);
  A.node.start(inputs());
  clock.advance(30_000);
  t.equal(wire.firstNotify('A', 'VI', 'MASTER'), null);
  t.equal(B.node.state('VI').name, 'MASTER');
  B.node.stop();
  clock.advance(2_000);
  t.equal(A.node.state('VI').name, 'MASTER', 'it still takes over when the master stops');
});

t.test('preempt_delay: the higher priority waits the delay before preempting', async (t) => {
  const { clock, wire, A, B } = pair(' priority 150\n preempt_delay 5', ' priority 100');
  B.node.start(inputs());
  clock.advance(5_000);
  A.node.start(inputs());
  clock.advance(20_000);
  const back = wire.firstNotify('A', 'VI', 'MASTER')!;
  // First lower-priority advert arrives within a second of A's start; adverts are accepted until 5 s after it,
  // then discarded: A takes over Master_Down_Interval after the last one it accepted.
  t.ok(back > 5_000 + 5_000 && back <= 5_000 + 1_000 + 5_000 + mdi(150), `A takes over at ${back} ms`);
  t.equal(B.node.state('VI').name, 'BACKUP');
});

t.test('equal priorities: the higher primary address wins (RFC 5798 §6.4.3)', async (t) => {
  const { clock, wire, A, B } = pair(' priority 100', ' priority 100');
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  t.equal(B.node.state('VI').name, 'MASTER', '10.213.0.2 > 10.213.0.1');
  t.equal(A.node.state('VI').name, 'BACKUP');
  t.ok(wire.firstNotify('A', 'VI', 'MASTER') !== null, 'both went MASTER at the same moment…');
  t.same([...A.vips], [], '…and the lower address gave way');
});

t.test('address owner (priority 255) is MASTER at once', async (t) => {
  const { clock, wire, A, B } = pair(' priority 255', ' priority 100');
  B.node.start(inputs());
  clock.advance(10_000);
  A.node.start(inputs());
  t.equal(A.node.state('VI').name, 'MASTER');
  t.same(wire.adverts('A', 'VI')[0], { at: 10_000, priority: 255 });
  clock.advance(10);
  t.equal(B.node.state('VI').name, 'BACKUP', 'the old master yields on the owner’s first advert');
});

t.test('initial state MASTER below 255 listens first (keepalived vrrp_init_state), unlike the owner', async (t) => {
  const { clock, wire, A } = pair(' state MASTER\n priority 150', ' priority 100');
  A.node.start(inputs());
  t.equal(A.node.state('VI').name, 'BACKUP');
  clock.advance(5_000);
  t.equal(wire.firstNotify('A', 'VI', 'MASTER'), mdi(150));
});

t.test('VRRPv3: the backup learns the master’s 100 ms interval and takes over in ~361 ms, not 3.6 s', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const A = wire.add('A', '10.213.0.1', [VI(' version 3\n priority 150\n advert_int 0.1')]);
  const B = wire.add('B', '10.213.0.2', [VI(' version 3\n priority 100\n advert_int 1')]);
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  t.equal(B.node.state('VI').masterAdverIntMs, 100);
  A.alive = false;
  const last = wire.adverts('A', 'VI').filter((a) => a.at <= 10_000).at(-1)!.at;
  clock.advance(2_000);
  // RFC 5798 §6.1: 3 × 10 cs + (156 × 10 cs)/256 = 360.9375 ms; keepalived's whole µs: 156 × 10 × 625/16 → 60937.
  t.equal(wire.firstNotify('B', 'VI', 'MASTER'), last + LAT + 360.937);
});

t.test('IPv6 VRRPv3 elects over the wire too', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const conf = (p: number) => vrrpConf(instanceConf('V6', 53, ` version 3\n priority ${p}`, 'fd00:213::100')).instance('V6');
  const A = wire.add('A', 'fe80::1', [conf(200)]);
  const B = wire.add('B', 'fe80::2', [conf(100)]);
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(6_000);
  t.equal(A.node.state('V6').name, 'MASTER');
  t.equal(B.node.state('V6').name, 'BACKUP');
  t.equal(B.node.state('V6').masterAddr?.text, 'fe80::1');
  t.same(B.node.rejections('V6'), new Map());
});

t.test('a backup with another password counts the rejection and takes over (RFC 3768 §7.1)', async (t) => {
  const auth = (p: string) => ` authentication {\n  auth_type PASS\n  auth_pass ${p}\n }`;
  const { clock, A, B } = pair(` priority 150\n${auth('one')}`, ` priority 100\n${auth('two')}`);
  A.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  t.equal(A.node.state('VI').name, 'MASTER');
  t.equal(B.node.state('VI').name, 'MASTER', 'split brain, as keepalived');
  t.ok((B.node.rejections('VI').get('auth-pass') ?? 0) >= 5);
});

t.test('unicast instances sharing a VRID: each advert goes to the instance that peers with its sender', async (t) => {
  const clock = new FakeClock();
  const wire = new Wire(clock, LAT);
  const uni = (name: string, p: number, src: string, peer: string) => instanceConf(name, 51, ` priority ${p}\n unicast_src_ip ${src}\n unicast_peer {\n  ${peer}\n }`);
  const c = vrrpConf(uni('U1', 100, '10.213.0.3', '10.213.0.1') + uni('U2', 100, '10.213.0.3', '10.213.0.2'));
  const C = wire.add('C', '10.213.0.3', c.config.vrrpInstances);
  const B = wire.add('B', '10.213.0.2', [vrrpConf(uni('VI', 150, '10.213.0.2', '10.213.0.3')).instance('VI')]);
  C.node.start(inputs());
  B.node.start(inputs());
  clock.advance(10_000);
  t.equal(B.node.state('VI').name, 'MASTER');
  t.equal(C.node.state('U2').name, 'BACKUP', 'U2 peers with B and hears it');
  t.equal(C.node.state('U1').name, 'MASTER', 'U1 hears nobody');
  t.equal(C.node.state('U2').masterAddr?.text, '10.213.0.2');
});
