import t from 'tap';
import { wrr } from '../../../../src/dataplane/sched/wrr.js';
import { ctx, dest, picks, setCounters } from './fixtures/sched.js';

t.test('weights 4:3:2 give the kernel order over a full cycle', async (t) => {
  const s = wrr(ctx());
  s.update([dest('A', 4), dest('B', 3), dest('C', 2)]);
  // cw 4: A | cw 3: A B | cw 2: A B C | cw 1: A B C | wrap to mw
  const cycle = ['A', 'A', 'B', 'A', 'B', 'C', 'A', 'B', 'C'];
  t.same(picks(s, 18), [...cycle, ...cycle]);
});

t.test('gcd steps: 4:2 has di 2, mw 3 and passes cw = 3, 1', async (t) => {
  const s = wrr(ctx());
  s.update([dest('A', 4), dest('B', 2)]);
  t.same(picks(s, 6), ['A', 'A', 'B', 'A', 'A', 'B']);
});

t.test('weight 0 is quiesced, overloaded dests are passed over', async (t) => {
  const s = wrr(ctx());
  const [a, b, c] = [dest('A', 2), dest('B', 0), dest('C', 1)];
  s.update([a, b, c]);
  t.same(picks(s, 6), ['A', 'A', 'C', 'A', 'A', 'C']);
  setCounters(s, a, 0, 0, true);
  t.same(picks(s, 3), ['C', 'C', 'C']);
  setCounters(s, c, 0, 0, true);
  t.same(picks(s, 2), ['-', '-'], 'all destinations are overloaded');
  setCounters(s, a, 0, 0, false);
  t.same(picks(s, 1), ['A']);
  s.update([dest('Y', 0), dest('Z', 0)]);
  t.same(picks(s, 1), ['-'], 'mw == 0: no destination available');
});

t.test('dest_changed resets cl to the head and adjusts cw', async (t) => {
  const s = wrr(ctx());
  const [a, b, c] = [dest('A', 6), dest('B', 4), dest('C', 3)];
  s.update([a, b, c]);
  // di 1, mw 6. cw 6: A | cw 5: A | cw 4: A B ...
  t.same(picks(s, 4), ['A', 'A', 'A', 'B'], 'cw is now 4, cl at B');
  c.weight = 2;
  s.update([a, b, c]);
  // di 2, mw 5; cw 4 → (4 / 2) * 2 + 1 = 5 (it would be A B A had cw stayed 4)
  t.same(picks(s, 3), ['A', 'A', 'B'], 'cw 5 from the head: A, then cw 3: A B');
  t.same(picks(s, 1), ['A'], 'cw 1: A B C');
  c.weight = 3;
  s.update([a, b, c]);
  // di 1, mw 6; cw 1 is kept (not above mw, not 0, di 1); cl back to the head
  t.same(picks(s, 4), ['A', 'B', 'C', 'A'], 'cw 1 from the head, then cw wraps to 6');
  a.weight = 2;
  b.weight = 2;
  c.weight = 2;
  s.update([a, b, c]);
  // di 2, mw 1; cw 6 > mw → 1
  t.same(picks(s, 4), ['A', 'B', 'C', 'A']);
});

t.test('a failed pick after a wrap stops at the last pick and leaves the mark there', async (t) => {
  const s = wrr(ctx());
  const [a, b, c] = [dest('A', 1), dest('B', 1), dest('C', 1)];
  s.update([a, b, c]);
  t.same(picks(s, 1), ['A']);
  for (const d of [a, b, c]) setCounters(s, d, 0, 0, true);
  // From A: B, C fail at cw 1; wrap (restarted) with the last pass at once, so stop = A: err_over, cl = A.
  t.same(picks(s, 1), ['-']);
  setCounters(s, a, 0, 0, false);
  setCounters(s, c, 0, 0, false);
  t.same(picks(s, 1), ['C'], 'resumes after A, not from the head');
});
