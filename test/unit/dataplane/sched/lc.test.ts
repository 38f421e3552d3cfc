import t from 'tap';
import { lc } from '../../../../src/dataplane/sched/lc.js';
import { ctx, dest, picks, setCounters } from './fixtures/sched.js';

t.test('least activeconns * 256 + inactconns; weight matters only as 0', async (t) => {
  const s = lc(ctx());
  const [a, b, c, d] = [dest('A', 1), dest('B', 0), dest('C', 100), dest('D', 1)];
  s.update([a, b, c, d]);
  setCounters(s, a, 1, 0); // 256
  setCounters(s, c, 0, 300); // 300
  setCounters(s, d, 1, 0); // 256
  t.same(picks(s, 1), ['A'], 'B (idle) is quiesced; A and D tie at 256, the first wins');
  setCounters(s, a, 1, 1); // 257
  t.same(picks(s, 1), ['D']);
  setCounters(s, d, 0, 0, true);
  t.same(picks(s, 1), ['A'], 'overloaded D is skipped');
  setCounters(s, c, 0, 256);
  t.same(picks(s, 1), ['C'], 'an active connection weighs 256 inactive ones: 256 < 257');
});

t.test('none eligible', async (t) => {
  const s = lc(ctx());
  const a = dest('A', 0);
  const b = dest('B', 3, { overloaded: true });
  s.update([a, b]);
  t.same(picks(s, 1), ['-']);
  s.update([]);
  t.same(picks(s, 1), ['-']);
});
