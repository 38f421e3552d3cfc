/**
 * How late checks start against their due time (issue 12's benchmark figure: no check may start more than
 * LATE_MS after it was due). The runner notes each attempt's due time when it arms the timer and the Clock's time
 * when the timer runs, so the figure is the scheduler's own: event-loop stalls and timer coalescing show here,
 * whatever the checked server does.
 */

/** A check started later than this after its due time counts as late (the 100 ms). */
export const LATE_MS = 100;

export interface LatenessFigures {
  /** Attempts whose timer ran. */
  readonly started: number;
  /** Of those, started more than LATE_MS after due. */
  readonly late: number;
  /** The latest start seen, ms after due. */
  readonly worstMs: number;
}

export class Lateness {
  private started = 0;
  private late = 0;
  private worstMs = 0;

  note(due: number, now: number): void {
    const by = now - due;
    this.started++;
    if (by > LATE_MS) this.late++;
    if (by > this.worstMs) this.worstMs = by;
  }

  figures(): LatenessFigures {
    return { started: this.started, late: this.late, worstMs: this.worstMs };
  }
}
