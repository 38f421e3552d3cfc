import t from 'tap';
import { twos } from '../../../../src/dataplane/sched/twos.js';
import { ctx, dest, picks, scripted, setCounters } from './fixtures/sched.js';

t.test('two weighted draws in [0, total]; the second wins only when strictly less loaded per weight', async (t) => {
  // weights 1, 2, 3: total 6, draws are random % 7; running sums 1, 3, 6
  const [a, b, c] = [dest('A', 1), dest('B', 2), dest('C', 3)];
  const s = twos(ctx({}, scripted([0, 3, 7, 13, 4, 1, 2, 5])));
  s.update([a, b, c]);
  setCounters(s, a, 1, 0); // overhead 256
  t.same(picks(s, 1), ['B'], 'r1 0 → A, r2 3 → B (3 - 1 - 2 = 0); 2 * 256 > 1 * 0');
  t.same(picks(s, 1), ['C'], 'r1 7 % 7 = 0 → A, r2 13 % 7 = 6 → C');
  setCounters(s, c, 0, 512); // 512 / 3 vs 256 / 1 for A
  t.same(picks(s, 1), ['C'], 'r1 4 → C, r2 1 → A: 1 * 512 > 3 * 256 is false, A is not less loaded per weight');
  setCounters(s, a, 0, 0);
  setCounters(s, b, 0, 0);
  t.same(picks(s, 1), ['B'], 'r1 2 → B, r2 5 → C; 3 * 0 > 2 * 512 is false: keep B');
});

t.test('overloaded and weight-0 dests are not drawn', async (t) => {
  const [z, a, b, c] = [dest('Z', 0), dest('A', 1), dest('B', 2), dest('C', 3)];
  const s = twos(ctx({}, scripted([2, 0, 9, 9])));
  s.update([z, a, b, c]);
  setCounters(s, b, 0, 0, true);
  // total 4 → draws % 5; running sums A 1, C 4
  t.same(picks(s, 1), ['C'], 'r1 2 → C (2 - 1 - 3 < 0), r2 0 → A; 1 * 0 > 3 * 0 is false');
  for (const d of [a, c]) setCounters(s, d, 0, 0, true);
  t.same(picks(s, 1), ['-'], 'nothing to draw: no random number is taken');
});

t.test('the kernel compares in 32-bit int and wraps', async (t) => {
  const [a, b] = [dest('A', 100), dest('B', 65535)];
  const s = twos(ctx({}, scripted([0, 65635])));
  s.update([a, b]);
  setCounters(s, a, 100_000, 0); // overhead 25 600 000
  setCounters(s, b, 1, 0); // overhead 256
  // 65535 * 25 600 000 = 1 677 696 000 000 ≡ 2 658 754 560 (mod 2^32) = -1 636 212 736 as int,
  // which is not > 100 * 256: the kernel keeps A although B is far less loaded.
  t.same(picks(s, 1), ['A']);
});
