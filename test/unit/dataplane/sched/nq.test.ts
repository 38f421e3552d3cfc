import t from 'tap';
import { nq } from '../../../../src/dataplane/sched/nq.js';
import { ctx, dest, picks, setCounters } from './fixtures/sched.js';

t.test('the first idle dest wins over any expected delay', async (t) => {
  const s = nq(ctx());
  const [a, b, c] = [dest('A', 1), dest('B', 1), dest('C', 10)];
  s.update([a, b, c]);
  setCounters(s, a, 2, 0);
  t.same(picks(s, 1), ['B'], 'B is idle and before the heavier idle C');
  setCounters(s, b, 0, 50);
  t.same(picks(s, 1), ['B'], 'inactive connections do not make a dest busy');
  setCounters(s, b, 1, 0);
  t.same(picks(s, 1), ['C']);
});

t.test('without an idle dest, the sed minimum with the earliest tie', async (t) => {
  const s = nq(ctx());
  const [a, b, c] = [dest('A', 1), dest('B', 3), dest('C', 2)];
  s.update([a, b, c]);
  setCounters(s, a, 1, 0); // 2 / 1
  setCounters(s, b, 2, 0); // 3 / 3
  setCounters(s, c, 1, 0); // 2 / 2
  t.same(picks(s, 1), ['B']);
  setCounters(s, b, 3, 0); // 4 / 3
  t.same(picks(s, 1), ['C']);
});

t.test('idle but quiesced or overloaded does not count', async (t) => {
  const s = nq(ctx());
  const [z, o, a] = [dest('Z', 0), dest('O', 5, { overloaded: true }), dest('A', 1)];
  s.update([z, o, a]);
  setCounters(s, a, 4, 0);
  t.same(picks(s, 1), ['A']);
  setCounters(s, a, 4, 0, true);
  t.same(picks(s, 1), ['-']);
});
