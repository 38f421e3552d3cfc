/**
 * Straight ports of ip_vs_rr.c and ip_vs_wrr.c walking the list one dest at a time. `HEAD` stands for
 * &svc->destinations, the list head the cursors start from.
 */
import type { SchedDest, Scheduler, SchedulerFactory } from '../../src/dataplane/sched/types.js';

const HEAD = -1;

class RoundRobin implements Scheduler {
  readonly name = 'rr';
  private dests: readonly SchedDest[] = [];
  /** svc->sched_data: position of the last pick, or HEAD. */
  private cursor = HEAD;

  update(dests: readonly SchedDest[]): void {
    // ip_vs_rr_del_dest moves a cursor on an unlinked dest to the entry before it.
    let at = this.cursor;
    while (at !== HEAD && !dests.includes(this.dests[at])) at--;
    this.cursor = at === HEAD ? HEAD : dests.indexOf(this.dests[at]);
    this.dests = dests.slice();
  }

  countersChanged(): void {}

  schedule(): SchedDest | null {
    const p = this.cursor;
    const last = p;
    let pass = 0;
    let i = p;
    do {
      for (i++; i < this.dests.length; i++) {
        const dest = this.dests[i];
        if (!dest.overloaded && dest.weight > 0) {
          this.cursor = i;
          return dest;
        }
        if (i === last) return null;
      }
      i = HEAD;
      pass++;
    } while (pass < 2 && p !== HEAD);
    return null;
  }
}

class WeightedRoundRobin implements Scheduler {
  readonly name = 'wrr';
  private dests: readonly SchedDest[] = [];
  private cl = HEAD;
  private cw = 0;
  private mw = 0;
  private di = 1;

  update(dests: readonly SchedDest[]): void {
    this.dests = dests.slice();
    let g = 0;
    let max = 0;
    for (const d of dests) {
      if (d.weight > 0) {
        let a = d.weight;
        let b = g;
        while (b) [a, b] = [b, a % b];
        g = a;
      }
      if (d.weight > max) max = d.weight;
    }
    this.cl = HEAD;
    this.di = g ? g : 1;
    this.mw = max - (this.di - 1);
    if (this.cw > this.mw || !this.cw) this.cw = this.mw;
    else if (this.di > 1) this.cw = Math.trunc(this.cw / this.di) * this.di + 1;
  }

  countersChanged(): void {}

  schedule(): SchedDest | null {
    let i = this.cl;
    if (this.mw === 0) return null;
    const last = i;
    let lastPass = false;
    let restarted = false;
    let stop: number | null = null;
    for (;;) {
      for (i++; i < this.dests.length; i++) {
        const dest = this.dests[i];
        if (!dest.overloaded && dest.weight >= this.cw) {
          this.cl = i;
          return dest;
        }
        if (i === stop) {
          this.cl = i;
          return null;
        }
      }
      i = HEAD;
      this.cw -= this.di;
      if (this.cw <= 0) {
        this.cw = this.mw;
        if (lastPass || last === HEAD) {
          this.cl = HEAD;
          return null;
        }
        restarted = true;
      }
      lastPass = this.cw <= this.di;
      if (lastPass && restarted && last !== HEAD) stop = last;
    }
  }
}

export const rr: SchedulerFactory = () => new RoundRobin();
export const wrr: SchedulerFactory = () => new WeightedRoundRobin();
