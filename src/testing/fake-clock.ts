import type { Clock, TimerHandle } from '../ports/clock.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Due order: earlier first, ties in the order the timers were set. */
const before = (a: Pending, b: Pending): boolean => a.at < b.at || (a.at === b.at && a.id < b.id);

/**
 * A Clock that moves only when a test says so. Timers fire in due order (ties in the order they were set),
 * and a timer set while advancing fires in the same advance when it falls due inside it, as real time would.
 * `advanceAsync` lets promise callbacks settle between timers, for code that awaits between steps.
 *
 * Timers sit in a binary heap (cleared ones are dropped when they reach the top), so each one costs O(log n):
 * the health runner keeps one per checker, and at 10,000 checkers a scan per fired timer made a simulated
 * second cost 10^8 steps.
 */
export class FakeClock implements Clock {
  private t: number;
  private nextId = 1;
  private readonly timers = new Map<number, Pending>();
  private readonly heap: Pending[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    const p = { id, at: this.t + Math.max(0, ms), fn };
    this.timers.set(id, p);
    this.push(p);
    return { id };
  }

  clearTimer(h: TimerHandle): void {
    this.timers.delete(h.id);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.size;
  }

  /** When the next timer falls due, or null when none is set. */
  nextDue(): number | null {
    const n = this.earliest();
    return n ? n.at : null;
  }

  /** Moves time forward by ms, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let n = this.earliest(end); n; n = this.earliest(end)) this.fire(n);
    this.t = end;
  }

  /** As advance, but lets queued promise callbacks run before each timer and at the end. */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (let n = this.earliest(end); n; n = this.earliest(end)) {
      this.fire(n);
      await settle();
    }
    this.t = end;
    await settle();
  }

  private fire(n: Pending): void {
    this.timers.delete(n.id);
    this.pop();
    this.t = Math.max(this.t, n.at);
    n.fn();
  }

  private earliest(until = Infinity): Pending | null {
    // Cleared timers stay in the heap until they surface here.
    while (this.heap.length > 0 && !this.timers.has(this.heap[0]!.id)) this.pop();
    const top = this.heap[0];
    return top && top.at <= until ? top : null;
  }

  private push(p: Pending): void {
    const h = this.heap;
    let i = h.push(p) - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(h[i]!, h[up]!)) break;
      [h[i], h[up]] = [h[up]!, h[i]!];
      i = up;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** Lets every queued promise callback (and those they queue, a few rounds deep) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
