import type { Clock, TimerHandle } from '../ports/clock.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * A Clock that moves only when a test says so. Timers fire in due order (ties in the order they were set),
 * and a timer set while advancing fires in the same advance when it falls due inside it, as real time would.
 * `advanceAsync` lets promise callbacks settle between timers, for code that awaits between steps.
 */
export class FakeClock implements Clock {
  private t: number;
  private nextId = 1;
  private readonly timers = new Map<number, Pending>();

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.t + Math.max(0, ms), fn });
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
    this.t = Math.max(this.t, n.at);
    n.fn();
  }

  private earliest(until = Infinity): Pending | null {
    let best: Pending | null = null;
    for (const p of this.timers.values()) {
      if (p.at > until) continue;
      if (!best || p.at < best.at || (p.at === best.at && p.id < best.id)) best = p;
    }
    return best;
  }
}

/** Lets every queued promise callback (and those they queue, a few rounds deep) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
