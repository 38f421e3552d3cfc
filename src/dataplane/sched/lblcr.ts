import { DEFAULT_EXPIRATION, LocalityTable, localityKey, type LocalityEntry } from './locality-table.js';
import { LocalityLoad, type LoadView } from './locality-load.js';
import { connOverhead, type SchedContext, type SchedDest, type SchedPacket, type Scheduler, type SchedulerFactory } from './types.js';

interface LblcrEntry extends LocalityEntry {
  /** The server set, newest first (ip_vs_dest_set_insert adds at the list head). */
  readonly set: SchedDest[];
  /** set.lastmod: when a member was last added or removed. */
  lastmod: number;
}

/**
 * ip_vs_dest_set_min(): the weighted least-connection member. The first candidate must be not
 * overloaded, weight > 0 and IP_VS_DEST_F_AVAILABLE; later ones replace it when not overloaded,
 * available and strictly less loaded.
 */
function setMin(set: readonly SchedDest[]): SchedDest | null {
  let least: SchedDest | null = null;
  for (const d of set) {
    if (d.overloaded) continue;
    if (least === null) {
      if (d.weight > 0 && d.available) least = d;
    } else if (connOverhead(least) * d.weight > connOverhead(d) * least.weight && d.available) {
      least = d;
    }
  }
  return least;
}

/** ip_vs_dest_set_max(): the weighted most-loaded member with weight > 0 (overload not considered). */
function setMax(set: readonly SchedDest[]): SchedDest | null {
  let most: SchedDest | null = null;
  for (const d of set) {
    if (d.weight <= 0) continue;
    if (most === null || connOverhead(most) * d.weight < connOverhead(d) * most.weight) most = d;
  }
  return most;
}

/**
 * ip_vs_lblcr.c, locality-based least-connection with replication: each destination address keeps a
 * set of servers. The least-loaded usable member serves unless is_overloaded(); then wlc over the
 * whole service picks one and it joins the set. A set that has not changed for the expiration loses
 * its most-loaded member (after the least-loaded one was chosen, as in the kernel).
 */
export class LocalityLeastConnReplicated implements Scheduler {
  readonly name = 'lblcr';
  private readonly cache: LocalityTable<LblcrEntry>;
  private readonly expiration: number;

  constructor(ctx: SchedContext, private readonly load: LoadView = new LocalityLoad()) {
    this.expiration = ctx.localityExpiration ?? DEFAULT_EXPIRATION;
    this.cache = new LocalityTable(ctx.startedAt, this.expiration);
  }

  update(dests: readonly SchedDest[]): void {
    this.load.update(dests);
  }

  countersChanged(dest: SchedDest): void {
    this.load.countersChanged(dest);
  }

  schedule(pkt: SchedPacket): SchedDest | null {
    const now = pkt.now;
    this.cache.advance(now);
    const key = localityKey(pkt.dstFold, pkt.dstV6);
    const en = this.cache.get(key);
    if (!en) {
      const dest = this.load.leastLoaded();
      if (dest) this.cache.add({ key, fold: pkt.dstFold, lastuse: now, set: [dest], lastmod: now });
      return dest;
    }
    en.lastuse = now;
    const member = setMin(en.set);
    // time_after(jiffies, lastmod + expiration): shrink a set that has been stable for too long.
    if (en.set.length > 1 && now > en.lastmod + this.expiration) {
      const m = setMax(en.set);
      if (m) {
        en.set.splice(en.set.indexOf(m), 1);
        en.lastmod = now;
      }
    }
    if (member && !this.load.isOverloaded(member)) return member;
    const dest = this.load.leastLoaded();
    if (!dest) return null;
    if (!en.set.includes(dest)) {
      en.set.unshift(dest);
      en.lastmod = now;
    }
    return dest;
  }
}

export const lblcr: SchedulerFactory = (ctx) => new LocalityLeastConnReplicated(ctx);
