import type { SchedDest, Scheduler } from './types.js';
import { Positions } from './positions.js';
import { TournamentTree } from './tournament.js';

/**
 * How a scheduler ranks one destination: out of the running unless eligible, otherwise lower
 * num/den is better and ties go to the earlier destination in the list.
 */
export interface Ranking {
  eligible(d: SchedDest): boolean;
  num(d: SchedDest): number;
  den(d: SchedDest): number;
}

/**
 * A service's destination list in insertion order, answering the kernel's linear-scan question
 * "earliest eligible dest with the lowest rank": by a tournament tree kept current (O(n) on update(),
 * O(log n) per counter change, O(1) to read), or, for lists of at most `scanMax` dests, by a scan per
 * query with no upkeep on counter changes.
 */
export class RankedList {
  dests: readonly SchedDest[] = [];
  private readonly pos = new Positions();
  private readonly tree = new TournamentTree();
  private scan = true;

  constructor(private readonly ranking: Ranking, private readonly scanMax = 0) {}

  update(dests: readonly SchedDest[]): void {
    this.dests = dests.slice();
    this.pos.reset(dests);
    this.scan = dests.length <= this.scanMax;
    this.tree.reset(this.scan ? 0 : dests.length);
    const r = this.ranking;
    for (let i = 0; i < dests.length; i++) {
      const d = dests[i];
      this.pos.set(d.id, i);
      if (!this.scan) this.tree.load(i, r.eligible(d), r.num(d), r.den(d));
    }
    this.tree.build();
  }

  /** Re-ranks d; returns its position, or -1 when d is not in the list (a removed dest still draining). */
  changed(d: SchedDest): number {
    const i = this.pos.get(d.id);
    if (i < 0 || this.scan) return i;
    const r = this.ranking;
    this.tree.set(i, r.eligible(d), r.num(d), r.den(d));
    return i;
  }

  indexOf(d: SchedDest): number {
    return this.pos.get(d.id);
  }

  best(): SchedDest | null {
    if (this.scan) return this.scanBest();
    const i = this.tree.best();
    return i < 0 ? null : this.dests[i];
  }

  /** First eligible position ≥ from ranked at most bnum/bden, or -1 (see TournamentTree). */
  firstAtOrAfter(from: number, bnum: number, bden: number): number {
    if (!this.scan) return this.tree.firstAtOrAfter(from, bnum, bden);
    const r = this.ranking;
    for (let i = from; i < this.dests.length; i++) {
      const d = this.dests[i];
      if (r.eligible(d) && r.num(d) * bden <= bnum * r.den(d)) return i;
    }
    return -1;
  }

  /** The kernel's scan: a later dest wins only with a strictly lower rank (cross-multiplied, exact). */
  private scanBest(): SchedDest | null {
    const r = this.ranking;
    let best: SchedDest | null = null;
    let bnum = 0;
    let bden = 1;
    for (const d of this.dests) {
      if (!r.eligible(d)) continue;
      const num = r.num(d);
      const den = r.den(d);
      if (best === null || num * bden < bnum * den) {
        best = d;
        bnum = num;
        bden = den;
      }
    }
    return best;
  }
}

/** A scheduler that is nothing but a ranking: lc, wlc, sed, nq, fo, ovf. */
export class RankedScheduler implements Scheduler {
  private readonly list: RankedList;

  constructor(readonly name: string, ranking: Ranking) {
    this.list = new RankedList(ranking);
  }

  update(dests: readonly SchedDest[]): void {
    this.list.update(dests);
  }

  countersChanged(dest: SchedDest): void {
    this.list.changed(dest);
  }

  schedule(): SchedDest | null {
    return this.list.best();
  }
}
