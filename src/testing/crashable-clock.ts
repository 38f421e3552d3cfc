import type { Clock, TimerHandle } from '../ports/clock.js';

/**
 * A view of another Clock that can die like a process under SIGKILL: crash() drops every timer it set and
 * ignores new ones, so whatever runs on it (a VrrpNode, a witness beat) stops mid-stride, sending no
 * goodbye — without stopping the clock the rest of the test runs on.
 */
export class CrashableClock implements Clock {
  private readonly live = new Set<TimerHandle>();
  private dead = false;

  constructor(private readonly inner: Clock) {}

  now(): number {
    return this.inner.now();
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    if (this.dead) return { id: -1 };
    const h: TimerHandle = this.inner.setTimer(ms, () => {
      this.live.delete(h);
      if (!this.dead) fn();
    });
    this.live.add(h);
    return h;
  }

  clearTimer(h: TimerHandle): void {
    if (!this.live.delete(h)) return;
    this.inner.clearTimer(h);
  }

  crash(): void {
    this.dead = true;
    for (const h of this.live) this.inner.clearTimer(h);
    this.live.clear();
  }
}
