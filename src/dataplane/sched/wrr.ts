import { RankedList, type Ranking } from './ranked-list.js';
import type { SchedDest, Scheduler, SchedulerFactory } from './types.js';
import { gcdWeight, maxWeight } from './weights.js';

/** Ranked 1/weight so that "rank ≤ 1/cw" is the kernel's "weight >= cw", and the best is the heaviest. */
const WRR_RANKING: Ranking = {
  eligible: (d) => !d.overloaded && d.weight > 0,
  num: () => 1,
  den: (d) => d.weight,
};

const HEAD = -1;
const NO_STOP = -2;
const byWeight = (d: SchedDest): number => d.weight;

/**
 * ip_vs_wrr.c, state for state: cl (last pick or head), cw (current weight), mw (max weight less
 * di - 1), di (gcd of the positive weights). Each pass scans from cl for a dest that is not
 * overloaded with weight >= cw; at the list end cw drops by di and, at 0, wraps to mw, with the
 * kernel's rules for giving up ("all destinations are overloaded").
 *
 * The kernel scan is a list walk; here each pass is one O(log n) tree query, and a run of passes that
 * cannot find anything (cw above every eligible weight) is skipped in one step. Both change the cost,
 * never the answer.
 */
class WeightedRoundRobin implements Scheduler {
  readonly name = 'wrr';
  private readonly list = new RankedList(WRR_RANKING);
  private cl = HEAD;
  private cw = 0;
  private mw = 0;
  private di = 1;

  /** ip_vs_wrr_dest_changed (init_svc is the same with cw = 0). */
  update(dests: readonly SchedDest[]): void {
    this.list.update(dests);
    this.cl = HEAD;
    this.di = gcdWeight(dests, byWeight) || 1;
    this.mw = maxWeight(dests, byWeight) - (this.di - 1);
    if (this.cw > this.mw || this.cw === 0) this.cw = this.mw;
    else if (this.di > 1) this.cw = Math.trunc(this.cw / this.di) * this.di + 1;
  }

  countersChanged(dest: SchedDest): void {
    this.list.changed(dest);
  }

  schedule(): SchedDest | null {
    if (this.mw === 0) return null;
    const { di, mw } = this;
    const last = this.cl;
    let cw = this.cw;
    let p = last;
    let lastPass = false;
    let restarted = false;
    let stop = NO_STOP;
    for (;;) {
      const heaviest = this.heaviest();
      if (p === HEAD && stop === NO_STOP && heaviest < cw) {
        // A whole pass finds nothing; so would every pass until cw reaches the heaviest eligible
        // weight or the last pass (cw <= di). Jump over those: none of them changes a flag.
        const skip = Math.floor((cw - Math.max(heaviest, di) - 1) / di);
        if (skip > 0) {
          cw -= skip * di;
          lastPass = false;
        }
      } else {
        const f = this.list.firstAtOrAfter(p + 1, 1, cw);
        // The kernel tests each dest before comparing it with `stop`, so a hit on stop itself counts.
        if (stop > p && (f < 0 || f > stop)) return this.fail(stop, cw);
        if (f >= 0) {
          this.cl = f;
          this.cw = cw;
          return this.list.dests[f];
        }
      }
      cw -= di;
      if (cw <= 0) {
        cw = mw;
        if (lastPass || last === HEAD) return this.fail(HEAD, cw);
        restarted = true;
      }
      lastPass = cw <= di;
      // First traversal checked w >= 1 only after `last`; finish with the dests up to it.
      if (lastPass && restarted && last !== HEAD) stop = last;
      p = HEAD;
    }
  }

  private heaviest(): number {
    const d = this.list.best();
    return d === null ? 0 : d.weight;
  }

  /** err_over: "all destinations are overloaded"; the mark stays where the scan ended. */
  private fail(at: number, cw: number): null {
    this.cl = at;
    this.cw = cw;
    return null;
  }
}

export const wrr: SchedulerFactory = () => new WeightedRoundRobin();
