import { Fenwick } from './fenwick.js';
import { Positions } from './positions.js';
import { connOverhead, type SchedContext, type SchedDest, type Scheduler, type SchedulerFactory } from './types.js';

/** The weight twos draws by: the dest's weight if it is > 0 and not overloaded, else nothing. */
function drawWeight(d: SchedDest): number {
  return !d.overloaded && d.weight > 0 ? d.weight : 0;
}

/**
 * `r % m` for u32 operands, as prandom_u32() % total_weight (int promoted to unsigned) is in C. Via a
 * floating division, several times faster than `%` on doubles; exact, because when r / m is not an
 * integer it falls at least 1/m short of the next one, a relative gap above 2^-33 that a double's
 * rounding (2^-53) cannot close.
 */
function umod(r: number, m: number): number {
  return r - Math.floor(r / m) * m;
}

/**
 * ip_vs_twos.c, power of two choices: two weighted random draws r = prandom_u32() % (total + 1)
 * over the usable dests; each picks the first usable dest at which r minus the running weight
 * reaches <= 0, i.e. the first whose running sum is >= max(r, 1). The second wins only if it is
 * strictly less loaded per weight. The kernel sums and walks the list per pick; a Fenwick tree of
 * draw weights makes both O(log n).
 *
 * The kernel compares `weight2 * overhead1 > weight1 * overhead2` in int, which wraps once
 * weight * overhead passes 2^31 (e.g. weight 100 with ~84k active connections); Math.imul wraps
 * identically, so the choice stays the kernel's there too. total_weight is an int sum too: exact
 * here while the sum of weights stays below 2^31 (32768 dests at the ipvsadm maximum 65535).
 */
class TwoChoices implements Scheduler {
  readonly name = 'twos';
  private dests: readonly SchedDest[] = [];
  private readonly pos = new Positions();
  private weights = new Float64Array(0);
  private readonly sums = new Fenwick();

  constructor(private readonly ctx: SchedContext) {}

  update(dests: readonly SchedDest[]): void {
    this.dests = dests.slice();
    this.pos.reset(dests);
    this.weights = new Float64Array(dests.length);
    this.sums.reset(dests.length);
    for (let i = 0; i < dests.length; i++) {
      this.pos.set(dests[i].id, i);
      this.weights[i] = drawWeight(dests[i]);
      this.sums.add(i, this.weights[i]);
    }
  }

  countersChanged(dest: SchedDest): void {
    const i = this.pos.get(dest.id);
    if (i < 0) return;
    const w = drawWeight(dest);
    if (w !== this.weights[i]) {
      this.sums.add(i, w - this.weights[i]);
      this.weights[i] = w;
    }
  }

  schedule(): SchedDest | null {
    const total = this.sums.total;
    if (total === 0) return null;
    const r1 = umod(this.ctx.random() >>> 0, total + 1);
    const r2 = umod(this.ctx.random() >>> 0, total + 1);
    const c1 = this.dests[this.sums.lowerBound(Math.max(r1, 1))];
    const c2 = this.dests[this.sums.lowerBound(Math.max(r2, 1))];
    return Math.imul(c2.weight, connOverhead(c1)) > Math.imul(c1.weight, connOverhead(c2)) ? c2 : c1;
  }
}

export const twos: SchedulerFactory = (ctx) => new TwoChoices(ctx);
