import t from 'tap';
import { lblcr } from '../../../../src/dataplane/sched/lblcr.js';
import { ctx, dest, packet, setCounters } from './fixtures/sched.js';
import { addrFold, parseIp } from '../../../../src/model/address.js';

const X = 0xc6336401;
const to = (now: number) => packet({ dstFold: X, now });

t.test('a set per destination address: grows on overload, serves its least-loaded member', async (t) => {
  const s = lblcr(ctx({}, undefined, { startedAt: 0, localityExpiration: 100_000 }));
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  t.equal(s.schedule(to(0)), a, 'new entry {A} from wlc');
  setCounters(s, a, 2, 0); // 2 > 1 and B (0 * 2 < 1) is under half: is_overloaded
  t.equal(s.schedule(to(1)), b, 'wlc picks B, set becomes {B, A}');
  setCounters(s, b, 1, 0);
  t.equal(s.schedule(to(2)), b, 'B 256 vs A 512');
  setCounters(s, a, 0, 0);
  t.equal(s.schedule(to(3)), a, 'A is now the least-loaded member');
  // Unchanged since t = 1 for more than 100 000 ms: the most loaded member (B) is dropped, after A
  // was already chosen for this packet.
  t.equal(s.schedule(to(100_002)), a);
  setCounters(s, a, 1, 0);
  setCounters(s, b, 0, 0);
  t.equal(s.schedule(to(100_003)), a, 'B is no longer a member, or it would win here');
});

t.test('members that are overloaded, quiesced or removed are passed over', async (t) => {
  const s = lblcr(ctx());
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  t.equal(s.schedule(to(0)), a);
  setCounters(s, a, 0, 0, true);
  t.equal(s.schedule(to(1)), b, 'the OVERLOAD flag rules A out; wlc adds B');
  b.weight = 0;
  s.update([a, b]);
  t.equal(s.schedule(to(2)), null, 'B quiesced, A overloaded, and wlc has nothing either');
  b.weight = 1;
  b.available = false;
  s.update([a]);
  setCounters(s, a, 0, 0, false);
  t.equal(s.schedule(to(3)), a, 'B is still a member but no longer available');
});

t.test('IPv6 destinations that fold alike keep sets of their own', async (t) => {
  const s = lblcr(ctx());
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  const fold = (text: string): number => addrFold(parseIp(text)!);
  const v6 = (dstV6: string, now: number) => packet({ dstFold: fold(dstV6), dstV6, now });
  t.equal(fold('2001:db8::1'), fold('2001:db8:0:1::'), 'the two addresses fold alike');
  t.equal(s.schedule(v6('2001:db8::1', 0)), a, 'new set {A}');
  setCounters(s, a, 1, 0);
  t.equal(s.schedule(v6('2001:db8:0:1::', 1)), b, 'a set of its own: {B} from wlc, not the first set');
  t.equal(s.schedule(v6('2001:db8::1', 2)), a, 'the first set is still {A}');
});
