import t from 'tap';
import { ovf } from '../../../../src/dataplane/sched/ovf.js';
import { ctx, dest, picks, setCounters } from './fixtures/sched.js';

t.test('highest weight until its active connections exceed the weight, then the next', async (t) => {
  const s = ovf(ctx());
  const [a, b, c] = [dest('A', 2), dest('B', 3), dest('C', 3)];
  s.update([a, b, c]);
  t.same(picks(s, 1), ['B']);
  setCounters(s, b, 3, 100);
  t.same(picks(s, 1), ['B'], 'active == weight still qualifies; inactive ignored');
  setCounters(s, b, 4, 0);
  t.same(picks(s, 1), ['C']);
  setCounters(s, c, 0, 0, true);
  t.same(picks(s, 1), ['A']);
  setCounters(s, a, 3, 0);
  t.same(picks(s, 1), ['-']);
});

t.test('weight 0 is excluded even when idle', async (t) => {
  const s = ovf(ctx());
  s.update([dest('Z', 0)]);
  t.same(picks(s, 1), ['-']);
});
