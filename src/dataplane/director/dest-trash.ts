import type { DestRuntime } from './dest.js';

/** include/net/ip_vs.h IP_VS_DEST_TRASH_PERIOD: how long an unreferenced dest stays in the trash. */
export const DEST_TRASH_PERIOD_MS = 120_000;
/** ip_vs_ctl.c arms the trash timer every IP_VS_DEST_TRASH_PERIOD >> 1. */
const TRASH_TICK_MS = DEST_TRASH_PERIOD_MS / 2;

interface Trashed {
  readonly dest: DestRuntime;
  /** serviceKey() of the service it left: the kernel matches vaddr/vport/fwmark/protocol, not the service object. */
  readonly service: string;
  readonly key: string;
  /** dest->idle_start: 0 until a tick first finds the dest unreferenced. */
  idleStart: number;
}

/**
 * The kernel's dest trash (net/netfilter/ipvs/ip_vs_ctl.c): a removed real server is kept, counters and
 * all, so that connections still pointing at it finish normally and so that adding it back to the same
 * service (ip_vs_add_dest → ip_vs_trash_get_dest) returns the same dest with its ActiveConn, InActConn,
 * persistent count and stats — which lc, wlc, sed, nq and lblc read. ip_vs_dest_trash_expire runs every
 * 60 s while the trash is non-empty: a dest still referenced (connections or templates) is skipped; the
 * first tick that finds it unreferenced stamps idle_start; a later tick at least 120 s after that frees
 * it. So an idle dest deleted at t is freed at the third tick after it entered, about t + 180 s.
 *
 * Not modelled: lblc/lblcr cache entries also hold a reference in the kernel (ip_vs_dest_hold in
 * ip_vs_lblc_new), which can keep a dest in the trash for up to the lblc expiration.
 */
export class DestTrash {
  private readonly items: Trashed[] = [];
  private due = NaN;

  /** __ip_vs_del_dest: into the trash; the timer is armed when the trash was empty. */
  put(dest: DestRuntime, service: string, key: string, now: number): void {
    if (this.items.length === 0) this.due = now + TRASH_TICK_MS;
    // list_add: newest first, the order ip_vs_trash_get_dest searches.
    this.items.unshift({ dest, service, key, idleStart: 0 });
  }

  /** ip_vs_trash_get_dest: takes the dest back out when one matches the service and address:port. */
  take(service: string, key: string): DestRuntime | undefined {
    const i = this.items.findIndex((t) => t.service === service && t.key === key);
    if (i < 0) return undefined;
    return this.items.splice(i, 1)[0].dest;
  }

  /** Runs the trash timer's ticks due by `now`; returns the dests freed (the table forgets their ids). */
  expire(now: number, freed: (d: DestRuntime) => void): void {
    while (this.due <= now) {
      const tick = this.due;
      for (let i = this.items.length - 1; i >= 0; i--) {
        const t = this.items[i];
        const d = t.dest;
        // refcount_read(&dest->refcnt) > 1: connections and templates hold the dest.
        if (d.activeConns + d.inactConns + d.persistConns > 0) continue;
        if (t.idleStart === 0) {
          t.idleStart = Math.max(1, tick);
          continue;
        }
        // time_before(now, idle_start + IP_VS_DEST_TRASH_PERIOD) keeps it one more tick.
        if (tick < t.idleStart + DEST_TRASH_PERIOD_MS) continue;
        this.items.splice(i, 1);
        freed(d);
      }
      this.due = this.items.length > 0 ? tick + TRASH_TICK_MS : NaN;
    }
  }

  get size(): number {
    return this.items.length;
  }
}
