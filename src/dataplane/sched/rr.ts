import { RankedList, type Ranking } from './ranked-list.js';
import type { SchedDest, Scheduler, SchedulerFactory } from './types.js';

/** Every dest with weight > 0 that is not overloaded ranks the same: rr only asks "which is next". */
const RR_RANKING: Ranking = {
  eligible: (d) => !d.overloaded && d.weight > 0,
  num: () => 0,
  den: () => 1,
};

/**
 * Up to this many dests rr scans instead of keeping the tree: its ranking ignores counters, so the scan
 * costs nothing on the bind/unbind of every connection. bench/sched.ts at 10 reals (idle machine):
 * 28.4 ns/pick with the tree, 19.9 scanning (kernel port 15-17 ns: 0.61 → 0.77). lc, wlc, sed, nq and
 * wrr measured slower scanning through their ranking callbacks (lc 178 vs 119 ns, nq 177 vs 107:
 * calls through the Ranking functions, where the kernel port has one loop per scheduler), so they keep
 * the tree at every size.
 */
const RR_SCAN_MAX = 16;

/** The list head, where the kernel's cursor sits before the first pick (ip_vs_rr_init_svc). */
const HEAD = -1;

/**
 * ip_vs_rr.c: from the dest picked last, the next one in list order with weight > 0 that is not
 * overloaded, wrapping once and stopping after the last pick itself. The kernel walks the list; the
 * tree finds the next eligible position in O(log n), which matters when many dests are quiesced.
 */
class RoundRobin implements Scheduler {
  readonly name = 'rr';
  private readonly list = new RankedList(RR_RANKING, RR_SCAN_MAX);
  /** Position of the last pick (svc->sched_data), or HEAD. */
  private cursor = HEAD;

  update(dests: readonly SchedDest[]): void {
    const old = this.list.dests;
    const at = this.cursor;
    this.list.update(dests);
    this.cursor = HEAD;
    // The cursor is a pointer to a dest: additions and weight edits leave it on the same dest. When
    // that dest is unlinked, ip_vs_rr_del_dest steps it back to the entry before (p->next->prev), so
    // the walk resumes right after the removed dest.
    for (let i = at; i >= 0; i--) {
      const p = this.list.indexOf(old[i]);
      if (p >= 0) {
        this.cursor = p;
        break;
      }
    }
  }

  countersChanged(dest: SchedDest): void {
    this.list.changed(dest);
  }

  schedule(): SchedDest | null {
    const last = this.cursor;
    let next = this.list.firstAtOrAfter(last + 1, 0, 1);
    // Second pass from the head, up to and including the last pick; none when starting at the head.
    if (next < 0 && last !== HEAD) {
      next = this.list.firstAtOrAfter(0, 0, 1);
      if (next > last) next = -1;
    }
    if (next < 0) return null;
    this.cursor = next;
    return this.list.dests[next];
  }
}

export const rr: SchedulerFactory = () => new RoundRobin();
