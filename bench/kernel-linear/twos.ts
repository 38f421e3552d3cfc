/** Straight port of ip_vs_twos.c: sum the usable weights, draw twice, walk the list. */
import { connOverhead, type SchedContext, type SchedDest, type Scheduler, type SchedulerFactory } from '../../src/dataplane/sched/types.js';

class TwoChoices implements Scheduler {
  readonly name = 'twos';
  private dests: readonly SchedDest[] = [];
  constructor(private readonly ctx: SchedContext) {}
  update(dests: readonly SchedDest[]): void {
    this.dests = dests.slice();
  }
  countersChanged(): void {}
  schedule(): SchedDest | null {
    let choice1: SchedDest | null = null;
    let choice2: SchedDest | null = null;
    let weight1 = -1;
    let weight2 = -1;
    let overhead1 = 0;
    let overhead2 = 0;
    let total = 0;
    for (const dest of this.dests) {
      if (!dest.overloaded && dest.weight > 0) {
        total += dest.weight;
        choice1 = dest;
      }
    }
    if (!choice1) return null;
    total += 1;
    let rweight1 = (this.ctx.random() >>> 0) % total;
    let rweight2 = (this.ctx.random() >>> 0) % total;
    for (const dest of this.dests) {
      if (dest.overloaded || dest.weight <= 0) continue;
      rweight1 -= dest.weight;
      rweight2 -= dest.weight;
      if (rweight1 <= 0 && weight1 === -1) {
        choice1 = dest;
        weight1 = dest.weight;
        overhead1 = connOverhead(dest);
      }
      if (rweight2 <= 0 && weight2 === -1) {
        choice2 = dest;
        weight2 = dest.weight;
        overhead2 = connOverhead(dest);
      }
      if (weight1 !== -1 && weight2 !== -1) break;
    }
    // int arithmetic, wrapping as the kernel's does
    if (choice2 && Math.imul(weight2, overhead1) > Math.imul(weight1, overhead2)) choice1 = choice2;
    return choice1;
  }
}

export const twos: SchedulerFactory = (ctx) => new TwoChoices(ctx);
