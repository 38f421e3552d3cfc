/**
 * Straight ports of the kernel's per-pick list scans (net/netfilter/ipvs/ip_vs_{lc,wlc,sed,nq,fo,ovf}.c):
 * O(n) per pick, no state. The yardstick for lvsd's tournament tree in bench/sched.ts and the oracle in
 * the cross-check tests.
 */
import { connOverhead, type SchedDest, type Scheduler, type SchedulerFactory } from '../../src/dataplane/sched/types.js';

type Scan = (dests: readonly SchedDest[]) => SchedDest | null;

class LinearScheduler implements Scheduler {
  private dests: readonly SchedDest[] = [];
  constructor(readonly name: string, private readonly scan: Scan) {}
  update(dests: readonly SchedDest[]): void {
    this.dests = dests.slice();
  }
  countersChanged(): void {}
  schedule(): SchedDest | null {
    return this.scan(this.dests);
  }
}

/** ip_vs_lc_schedule */
export const lcScan: Scan = (dests) => {
  let least: SchedDest | null = null;
  let loh = 0;
  for (const dest of dests) {
    if (dest.overloaded || dest.weight === 0) continue;
    const doh = connOverhead(dest);
    if (!least || doh < loh) {
      least = dest;
      loh = doh;
    }
  }
  return least;
};

/** ip_vs_wlc_schedule (also __ip_vs_lblc_schedule and __ip_vs_lblcr_schedule), with `overhead` for sed. */
function weightedLeast(dests: readonly SchedDest[], overhead: (d: SchedDest) => number): SchedDest | null {
  let i = 0;
  for (; i < dests.length; i++) if (!dests[i].overloaded && dests[i].weight > 0) break;
  if (i === dests.length) return null;
  let least = dests[i];
  let loh = overhead(least);
  for (i++; i < dests.length; i++) {
    const dest = dests[i];
    if (dest.overloaded) continue;
    const doh = overhead(dest);
    if (loh * dest.weight > doh * least.weight) {
      least = dest;
      loh = doh;
    }
  }
  return least;
}

const sedOverhead = (d: SchedDest): number => d.activeConns + 1;

export const wlcScan: Scan = (dests) => weightedLeast(dests, connOverhead);

/** ip_vs_sed_schedule */
export const sedScan: Scan = (dests) => weightedLeast(dests, sedOverhead);

/** ip_vs_nq_schedule */
export const nqScan: Scan = (dests) => {
  let least: SchedDest | null = null;
  let loh = 0;
  for (const dest of dests) {
    if (dest.overloaded || !dest.weight) continue;
    const doh = sedOverhead(dest);
    if (dest.activeConns === 0) return dest;
    if (!least || loh * dest.weight > doh * least.weight) {
      least = dest;
      loh = doh;
    }
  }
  return least;
};

/** ip_vs_fo_schedule */
export const foScan: Scan = (dests) => {
  let hweight: SchedDest | null = null;
  let hw = 0;
  for (const dest of dests) {
    if (!dest.overloaded && dest.weight > hw) {
      hweight = dest;
      hw = dest.weight;
    }
  }
  return hweight;
};

/** ip_vs_ovf_schedule */
export const ovfScan: Scan = (dests) => {
  let h: SchedDest | null = null;
  let hw = 0;
  for (const dest of dests) {
    const w = dest.weight;
    if (dest.overloaded || dest.activeConns > w || w === 0) continue;
    if (!h || w > hw) {
      h = dest;
      hw = w;
    }
  }
  return h;
};

export const lc: SchedulerFactory = () => new LinearScheduler('lc', lcScan);
export const wlc: SchedulerFactory = () => new LinearScheduler('wlc', wlcScan);
export const sed: SchedulerFactory = () => new LinearScheduler('sed', sedScan);
export const nq: SchedulerFactory = () => new LinearScheduler('nq', nqScan);
export const fo: SchedulerFactory = () => new LinearScheduler('fo', foScan);
export const ovf: SchedulerFactory = () => new LinearScheduler('ovf', ovfScan);
