// Diagnostics of one parse, kept up to a bound: a 1 MB file of '}' would otherwise hold a million
// findings (issue 11 measured 1.1 GB). Past the bound they are counted, and finish() adds one finding
// that says how many were left out, as an error if any of them was one, so a bad file never passes.
import type { Diagnostic, Loc } from './tree.js';

export const DIAGNOSTICS_DROPPED = 'LVSD_E_CONFIG_LIMIT';

export class DiagnosticList {
  readonly list: Diagnostic[] = [];
  private dropped = 0;
  private droppedErrors = 0;
  private last: Loc | null = null;

  constructor(private readonly max: number) {}

  /** True while another diagnostic would still be kept. */
  get room(): boolean {
    return this.list.length < this.max;
  }

  push(d: Diagnostic): void {
    if (this.room) {
      this.list.push(d);
      return;
    }
    this.dropped++;
    if (d.severity === 'error') this.droppedErrors++;
    this.last = d.loc;
  }

  /** The kept diagnostics, then the count of the others (once; later calls return the same list). */
  finish(): Diagnostic[] {
    if (this.dropped > 0 && this.last !== null) {
      const errors = this.droppedErrors > 0 ? `, ${this.droppedErrors} of them errors` : '';
      this.list.push({
        severity: this.droppedErrors > 0 ? 'error' : 'warning',
        code: DIAGNOSTICS_DROPPED,
        loc: this.last,
        message: `${this.dropped} further findings were counted but not kept (more than ${this.max})${errors}; this is the last of them.`,
      });
      this.dropped = 0;
    }
    return this.list;
  }
}
