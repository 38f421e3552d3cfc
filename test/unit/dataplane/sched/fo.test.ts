import t from 'tap';
import { fo } from '../../../../src/dataplane/sched/fo.js';
import { ctx, dest, picks, setCounters } from './fixtures/sched.js';

t.test('highest weight, the first on ties, overloaded skipped', async (t) => {
  const s = fo(ctx());
  const [a, b, c] = [dest('A', 5), dest('B', 9), dest('C', 9)];
  s.update([a, b, c]);
  setCounters(s, b, 1000, 1000);
  t.same(picks(s, 2), ['B', 'B'], 'connections do not matter');
  setCounters(s, b, 0, 0, true);
  t.same(picks(s, 1), ['C']);
  setCounters(s, c, 0, 0, true);
  t.same(picks(s, 1), ['A']);
  a.weight = 0;
  s.update([a, b, c]);
  t.same(picks(s, 1), ['-'], 'weight 0 never qualifies (weight > hw with hw = 0)');
});
