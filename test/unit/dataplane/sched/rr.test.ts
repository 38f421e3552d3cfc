import t from 'tap';
import { rr } from '../../../../src/dataplane/sched/rr.js';
import { ctx, dest, picks, setCounters } from './fixtures/sched.js';

t.test('walks the list from the last pick, skipping weight 0 and overloaded', async (t) => {
  const s = rr(ctx());
  const [a, b, c, d] = [dest('A', 1), dest('B', 5), dest('C', 0), dest('D', 1)];
  s.update([a, b, c, d]);
  t.same(picks(s, 6), ['A', 'B', 'D', 'A', 'B', 'D'], 'weight is ignored except 0 (ip_vs_rr.c)');
  setCounters(s, b, 0, 0, true);
  t.same(picks(s, 3), ['A', 'D', 'A']);
  setCounters(s, b, 0, 0, false);
  t.same(picks(s, 2), ['B', 'D']);
});

t.test('wraps once and returns the last pick itself when it is the only one left', async (t) => {
  const s = rr(ctx());
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  t.same(picks(s, 1), ['A']);
  setCounters(s, b, 0, 0, true);
  t.same(picks(s, 2), ['A', 'A']);
  setCounters(s, a, 0, 0, true);
  t.same(picks(s, 1), ['-'], 'all overloaded');
});

t.test('a removed cursor steps back to the entry before it; weight edits and additions keep it', async (t) => {
  const s = rr(ctx());
  const [a, b, c, d] = [dest('A', 1), dest('B', 1), dest('C', 1), dest('D', 1)];
  s.update([a, b, c, d]);
  t.same(picks(s, 2), ['A', 'B']);
  b.available = false;
  s.update([a, c, d]);
  t.same(picks(s, 1), ['C'], 'ip_vs_rr_del_dest: cursor B → A, so C is next');
  const e = dest('E', 1);
  s.update([a, c, d, e]);
  t.same(picks(s, 3), ['D', 'E', 'A']);
  s.update([a, c, d, e]);
  t.same(picks(s, 1), ['C'], 'an upd_dest leaves the cursor');
  s.update([d, e]);
  t.same(picks(s, 1), ['D'], 'cursor and all before it gone: back to the head');
});

t.test('no destinations, or all weight 0', async (t) => {
  const s = rr(ctx());
  s.update([]);
  t.same(picks(s, 1), ['-']);
  s.update([dest('Z', 0)]);
  t.same(picks(s, 1), ['-']);
});
