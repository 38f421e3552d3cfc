import t from 'tap';
import { wlc } from '../../../../src/dataplane/sched/wlc.js';
import { ctx, dest, picks, setCounters } from './fixtures/sched.js';

t.test('least overhead / weight; equal ratios keep the earlier dest', async (t) => {
  const s = wlc(ctx());
  const [a, b, c] = [dest('A', 2), dest('B', 1), dest('C', 4)];
  s.update([a, b, c]);
  setCounters(s, a, 2, 0); // 512 / 2 = 256
  setCounters(s, b, 1, 0); // 256 / 1 = 256
  setCounters(s, c, 4, 0); // 1024 / 4 = 256
  t.same(picks(s, 1), ['A']);
  setCounters(s, b, 0, 255); // 255
  t.same(picks(s, 1), ['B']);
  setCounters(s, c, 3, 255); // 1023 / 4 = 255.75
  t.same(picks(s, 1), ['B'], '255 < 255.75');
  setCounters(s, c, 3, 250); // 1018 / 4 = 254.5
  t.same(picks(s, 1), ['C']);
});

t.test('weight 0 never wins, even idle and first; overloaded is skipped', async (t) => {
  const s = wlc(ctx());
  const [z, a, b] = [dest('Z', 0), dest('A', 1), dest('B', 1)];
  s.update([z, a, b]);
  setCounters(s, a, 5, 0);
  setCounters(s, b, 6, 0);
  t.same(picks(s, 1), ['A']);
  setCounters(s, a, 5, 0, true);
  t.same(picks(s, 1), ['B']);
  setCounters(s, b, 6, 0, true);
  t.same(picks(s, 1), ['-'], 'only the quiesced dest is left');
});

t.test('a weight change takes effect on update', async (t) => {
  const s = wlc(ctx());
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  setCounters(s, a, 1, 0);
  setCounters(s, b, 2, 0);
  t.same(picks(s, 1), ['A']);
  b.weight = 3;
  s.update([a, b]);
  t.same(picks(s, 1), ['B'], '512 / 3 < 256 / 1');
});
