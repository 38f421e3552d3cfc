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
