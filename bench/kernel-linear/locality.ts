/**
 * lblc and lblcr with the kernel's per-pick list walks (__ip_vs_lblc_schedule is a wlc scan,
 * is_overloaded() walks every dest) in place of lvsd's LocalityLoad; the cache is lvsd's own, as it is
 * not where the two differ.
 */
import { LocalityLeastConn } from '../../src/dataplane/sched/lblc.js';
import { LocalityLeastConnReplicated } from '../../src/dataplane/sched/lblcr.js';
import type { LoadView } from '../../src/dataplane/sched/locality-load.js';
import type { SchedDest, SchedulerFactory } from '../../src/dataplane/sched/types.js';
import { wlcScan } from './scans.js';

class LinearLoad implements LoadView {
  private dests: readonly SchedDest[] = [];
  update(dests: readonly SchedDest[]): void {
    this.dests = dests.slice();
  }
  countersChanged(): void {}
  leastLoaded(): SchedDest | null {
    return wlcScan(this.dests);
  }
  isOverloaded(dest: SchedDest): boolean {
    if (dest.activeConns > dest.weight) {
      for (const d of this.dests) if (d.activeConns * 2 < d.weight) return true;
    }
    return false;
  }
}

export const lblc: SchedulerFactory = (ctx) => new LocalityLeastConn(ctx, new LinearLoad());
export const lblcr: SchedulerFactory = (ctx) => new LocalityLeastConnReplicated(ctx, new LinearLoad());
