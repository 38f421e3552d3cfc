import t from 'tap';
import { FakeClock } from '../../../src/testing/fake-clock.js';

t.test('timers fire in due order, ties in the order set, and only when time reaches them', (t) => {
  const c = new FakeClock(100);
  const seen: string[] = [];
  c.setTimer(20, () => seen.push(`b@${c.now()}`));
  c.setTimer(10, () => seen.push(`a@${c.now()}`));
  c.setTimer(20, () => seen.push(`c@${c.now()}`));
  const gone = c.setTimer(15, () => seen.push('cleared'));
  c.clearTimer(gone);
  c.advance(19);
  t.same(seen, ['a@110']);
  t.equal(c.now(), 119);
  c.advance(1);
  t.same(seen, ['a@110', 'b@120', 'c@120']);
  t.equal(c.pending, 0);
  t.end();
});

t.test('a timer set while advancing fires within the same advance when it falls due inside it', (t) => {
  const c = new FakeClock();
  const at: number[] = [];
  const tick = () => { at.push(c.now()); if (at.length < 5) c.setTimer(300, tick); };
  c.setTimer(300, tick);
  c.advance(1000);
  t.same(at, [300, 600, 900]);
  t.equal(c.nextDue(), 1200);
  t.end();
});

t.test('advanceAsync lets awaited work run between timers', async (t) => {
  const c = new FakeClock();
  const log: string[] = [];
  c.setTimer(10, () => { void Promise.resolve().then(() => log.push(`then@${c.now()}`)); });
  c.setTimer(20, () => log.push(`timer@${c.now()}`));
  await c.advanceAsync(30);
  t.same(log, ['then@10', 'timer@20']);
});

t.test('10,000 timers re-armed every second fire in due order, cleared ones never, in bounded time', (t) => {
  const c = new FakeClock();
  const N = 10_000;
  let fired = 0;
  let outOfOrder = 0;
  let lastAt = 0;
  const handles: ReturnType<FakeClock['setTimer']>[] = [];
  // Each timer re-arms itself 1 s on, staggered over the second, as the health runner's checkers do.
  const arm = (i: number, ms: number): void => {
    handles[i] = c.setTimer(ms, () => {
      fired++;
      if (c.now() < lastAt) outOfOrder++;
      lastAt = c.now();
      arm(i, 1000);
    });
  };
  for (let i = 0; i < N; i++) arm(i, (i * 7919) % 1000);
  // Every tenth is cleared before its first turn: it must never fire.
  for (let i = 0; i < N; i += 10) c.clearTimer(handles[i]!);
  const started = performance.now();
  c.advance(10_999);
  const ms = performance.now() - started;
  t.equal(fired, (N - N / 10) * 11, 'each live timer fired once a second, the cleared ones never');
  t.equal(outOfOrder, 0, 'in due order');
  t.equal(c.pending, N - N / 10);
  // A scan per fired timer visits ~10^9 entries here; the heap does ~99,000 × log2(9,000) steps.
  t.ok(ms < 5_000, `99,000 timers fired in ${ms.toFixed(0)} ms`);
  t.end();
});
