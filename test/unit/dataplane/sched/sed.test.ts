import t from 'tap';
import { sed } from '../../../../src/dataplane/sched/sed.js';
import { ctx, dest, picks, setCounters } from './fixtures/sched.js';

t.test('least (activeconns + 1) / weight; inactive connections do not count', async (t) => {
  const s = sed(ctx());
  const [a, b] = [dest('A', 1), dest('B', 3)];
  s.update([a, b]);
  setCounters(s, a, 0, 1000); // 1 / 1
  setCounters(s, b, 1, 0); // 2 / 3
  t.same(picks(s, 1), ['B']);
  setCounters(s, b, 2, 0); // 3 / 3 ties 1 / 1
  t.same(picks(s, 1), ['A'], 'tie keeps the earlier');
  setCounters(s, a, 0, 0, true);
  t.same(picks(s, 1), ['B']);
});

t.test('weight 0 is quiesced', async (t) => {
  const s = sed(ctx());
  const [z, a] = [dest('Z', 0), dest('A', 1)];
  s.update([z, a]);
  setCounters(s, a, 9, 0);
  t.same(picks(s, 1), ['A']);
  a.weight = 0;
  s.update([z, a]);
  t.same(picks(s, 1), ['-']);
});
