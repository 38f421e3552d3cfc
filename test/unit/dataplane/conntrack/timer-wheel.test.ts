import t from 'tap';
import { TimerWheel, type WheelRows } from '../../../../src/dataplane/conntrack/timer-wheel.js';
import { W_EXP, strideFor } from '../../../../src/dataplane/conntrack/layout.js';
import { rng } from './fixtures/harness.js';

function rows(n: number): WheelRows {
  const stride = strideFor(1);
  return { data: new Int32Array(n * stride), stride };
}

function arm(r: WheelRows, w: TimerWheel, id: number, exp: number): void {
  r.data[id * r.stride + W_EXP] = exp;
  w.insert(id);
}

t.test('fires at the exact millisecond on every level', async (t) => {
  const start = 5_000_000_123;
  const r = rows(8);
  const w = new TimerWheel(r, start);
  const delays = [0, 1, 255, 256, 65_535, 65_536, 16_777_216, 2_000_000_000];
  delays.forEach((d, id) => arm(r, w, id, start + d));
  const fired: [number, number][] = [];
  const onFire = (id: number, now: number) => { fired.push([id, now]); };
  for (const [id, d] of delays.entries()) {
    w.advance(start + d - 1, onFire);
    t.notOk(fired.some(([f]) => f === id), `delay ${d}: not before`);
    w.advance(start + d, onFire);
    t.same(fired.at(-1), [id, start + d], `delay ${d}: at ${d}`);
  }
  t.equal(fired.length, delays.length);
});

t.test('later re-arm is lazy, earlier re-arm moves the record', async (t) => {
  const r = rows(2);
  const w = new TimerWheel(r, 0);
  arm(r, w, 0, 1000);
  arm(r, w, 1, 900_000);
  w.rearm(0, 70_000); // later than its slot: refiled when the old slot comes up
  w.rearm(1, 10_000); // earlier: must not wait for the 900 s slot
  const fired: [number, number][] = [];
  w.advance(200_000, (id, now) => { fired.push([id, now]); });
  t.same(fired, [[1, 10_000], [0, 70_000]]);
  arm(r, w, 0, 200_100);
  w.rearm(0, 200_101); // one millisecond later than its slot
  w.advance(200_100, (id, now) => { fired.push([id, now]); });
  t.equal(fired.length, 2, 'not at the old slot');
  w.advance(200_101, (id, now) => { fired.push([id, now]); });
  t.same(fired.at(-1), [0, 200_101]);
});

t.test('unlink removes from any position; overdue records fire on the next advance', async (t) => {
  const r = rows(4);
  const w = new TimerWheel(r, 100);
  for (let id = 0; id < 3; id++) arm(r, w, id, 150); // same slot: list order 2,1,0
  w.unlink(1);
  w.unlink(1); // second unlink is a no-op
  arm(r, w, 3, 50); // already past: due at once
  const fired: number[] = [];
  w.advance(100, (id) => { fired.push(id); });
  t.same(fired, [3]);
  w.advance(150, (id) => { fired.push(id); });
  t.same(fired.sort(), [0, 2, 3]);
});

t.test('random timers fire exactly once at their time, under random advance steps', async (t) => {
  const r = rng(7);
  const n = 3000;
  const wr = rows(n);
  const start = 2 ** 32 - 50_000; // crosses the u32 wrap of the millisecond clock
  const w = new TimerWheel(wr, start);
  const due = new Map<number, number>();
  for (let id = 0; id < n; id++) {
    const span = [300, 70_000, 20_000_000][id % 3]!;
    const exp = start + Math.floor(r() * span);
    due.set(id, exp);
    arm(wr, w, id, exp);
  }
  let now = start;
  let wrong = 0;
  let count = 0;
  while (now < start + 20_000_000) {
    now += Math.floor(r() * 100_000);
    w.advance(now, (id, at) => {
      count++;
      if (due.get(id) !== at) wrong++;
      due.delete(id);
    });
  }
  w.advance(now + 1, () => { count++; });
  t.equal(wrong, 0, 'each fired at its own millisecond');
  t.equal(count, n, 'each fired once');
});

t.test('earliest() walks slots in firing order', async (t) => {
  const r = rows(3);
  const w = new TimerWheel(r, 0);
  arm(r, w, 0, 500_000);
  arm(r, w, 1, 10);
  arm(r, w, 2, 3_000);
  t.equal(w.earliest(10, () => true), 1);
  t.equal(w.earliest(10, (id) => id !== 1), 2);
  t.equal(w.earliest(1, (id) => id !== 1), -1, 'scan limit');
});
