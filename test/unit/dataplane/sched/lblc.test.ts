import t from 'tap';
import { lblc } from '../../../../src/dataplane/sched/lblc.js';
import { ctx, dest, packet, setCounters } from './fixtures/sched.js';
import { addrFold, parseIp } from '../../../../src/model/address.js';

const X = 0xc6336401;
const Y = 0xc6336402;
const to = (dstFold: number, now: number) => packet({ dstFold, now });

t.test('a destination address sticks to the server wlc gave it', async (t) => {
  const s = lblc(ctx());
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  t.equal(s.schedule(to(X, 0)), a, 'wlc: tie → A');
  setCounters(s, a, 1, 0);
  t.equal(s.schedule(to(X, 1)), a, 'cached, although B is less loaded');
  t.equal(s.schedule(to(Y, 2)), b, 'a new address gets the wlc pick');
});

t.test('the cached server is dropped when quiesced, removed or is_overloaded()', async (t) => {
  const s = lblc(ctx());
  const [a, b, c] = [dest('A', 1), dest('B', 1), dest('C', 4)];
  s.update([a, b, c]);
  t.equal(s.schedule(to(X, 0)), a);
  setCounters(s, a, 1, 0, true);
  t.equal(s.schedule(to(X, 1)), a, 'the OVERLOAD flag is not consulted for a cached server');
  setCounters(s, a, 0, 0, false);
  a.weight = 0;
  s.update([a, b, c]);
  t.equal(s.schedule(to(X, 2)), b, 'weight 0: rescheduled (wlc: B before C at 0 load)');
  a.weight = 1;
  s.update([a, b, c]);
  t.equal(s.schedule(to(X, 3)), b, 'and the entry now points at B');
  b.available = false;
  s.update([a, c]);
  t.equal(s.schedule(to(X, 4)), a, 'B left the service');
  setCounters(s, a, 2, 0); // active 2 > weight 1
  setCounters(s, c, 2, 0); // 2 * 2 < 4 is false: no dest is under half its weight
  t.equal(s.schedule(to(X, 5)), a, 'above its weight, but nobody is under half: kept');
  setCounters(s, c, 1, 0); // 1 * 2 < 4
  t.equal(s.schedule(to(X, 6)), c, 'is_overloaded: rescheduled to the wlc pick (256 / 4 < 512 / 1)');
});

t.test('no usable destination', async (t) => {
  const s = lblc(ctx());
  s.update([dest('Z', 0), dest('O', 1, { overloaded: true })]);
  t.equal(s.schedule(to(X, 0)), null);
});

t.test('entries idle past lblc_expiration go at the next full check (every 30th 60 s tick)', async (t) => {
  const s = lblc(ctx({}, undefined, { startedAt: 0 }));
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  const [x2, x3] = [X + 2, X + 3];
  t.equal(s.schedule(to(x2, 1000)), a);
  t.equal(s.schedule(to(x3, 1000)), a);
  setCounters(s, a, 1, 0); // wlc now prefers B, but A is not is_overloaded (1 > 1 is false)
  // Full checks run at 1 800 000 ms multiples; expiry at 1000 + 86 400 000 misses the one at
  // 86 400 000 and is met by the one at 88 200 000.
  t.equal(s.schedule(to(x3, 88_199_999)), a, 'still cached just before that check');
  t.equal(s.schedule(to(x2, 88_200_000)), b, 'dropped by the check due at this very ms; wlc again');
  t.equal(s.schedule(to(x3, 88_200_001)), a, 'the entry used a moment ago survived');
});

t.test('the GC timer starts at the first packet when the start time is not given', async (t) => {
  const s = lblc(ctx({}, undefined, { localityExpiration: 60_000 }));
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  t.equal(s.schedule(to(X, 500)), a);
  setCounters(s, a, 1, 0); // wlc now prefers B, but A is not is_overloaded (1 > 1 is false)
  t.equal(s.schedule(to(X + 1, 1_800_499)), b, 'the 30th tick (1 800 500) has not run');
  t.equal(s.schedule(to(X, 1_800_499)), a);
  t.equal(s.schedule(to(X + 1, 3_600_500)), b);
  t.equal(s.schedule(to(X, 3_600_500)), b, 'idle 1 800 001 ms ≥ 60 s at the 60th tick: gone');
});

t.test('IPv6 destinations that fold alike keep entries of their own (the kernel compares whole addresses)', async (t) => {
  const s = lblc(ctx());
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  // 2001:db8::1 and 2001:db8:0:1:: fold alike: the XOR of the four 32-bit words is the same.
  const fold = (text: string): number => addrFold(parseIp(text)!);
  t.equal(fold('2001:db8::1'), fold('2001:db8:0:1::'));
  const v6 = (dstV6: string, now: number) => packet({ dstFold: fold(dstV6), dstV6, now });
  t.equal(s.schedule(v6('2001:db8::1', 0)), a, 'wlc: tie → A');
  setCounters(s, a, 1, 0);
  t.equal(s.schedule(v6('2001:db8:0:1::', 1)), b, 'same fold, other address: a new entry, the wlc pick');
  t.equal(s.schedule(v6('2001:db8::1', 2)), a, 'the first address still has its own entry');
});
