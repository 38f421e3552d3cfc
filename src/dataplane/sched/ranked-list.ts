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
 * A service's destination list in insertion order with a tournament tree that keeps the kernel's
 * linear-scan answer current: O(n) on update(), O(log n) per counter change, O(1) to read.
 */
export class RankedList {
  dests: readonly SchedDest[] = [];
  private readonly pos = new Positions();
  private readonly tree = new TournamentTree();

  constructor(private readonly ranking: Ranking) {}

  update(dests: readonly SchedDest[]): void {
    this.dests = dests.slice();
    this.pos.reset(dests);
    this.tree.reset(dests.length);
    const r = this.ranking;
    for (let i = 0; i < dests.length; i++) {
      const d = dests[i];
      this.pos.set(d.id, i);
      this.tree.load(i, r.eligible(d), r.num(d), r.den(d));
    }
    this.tree.build();
  }

  /** Re-ranks d; returns its position, or -1 when d is not in the list (a removed dest still draining). */
  changed(d: SchedDest): number {
    const i = this.pos.get(d.id);
    if (i < 0) return -1;
    const r = this.ranking;
    this.tree.set(i, r.eligible(d), r.num(d), r.den(d));
    return i;
  }

  indexOf(d: SchedDest): number {
    return this.pos.get(d.id);
  }

  best(): SchedDest | null {
    const i = this.tree.best();
    return i < 0 ? null : this.dests[i];
  }

  /** First eligible position ≥ from ranked at most bnum/bden, or -1 (see TournamentTree). */
  firstAtOrAfter(from: number, bnum: number, bden: number): number {
    return this.tree.firstAtOrAfter(from, bnum, bden);
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
