import { DEFAULT_EXPIRATION, LocalityTable, localityKey, type LocalityEntry } from './locality-table.js';
import { LocalityLoad, type LoadView } from './locality-load.js';
import type { SchedContext, SchedDest, SchedPacket, Scheduler, SchedulerFactory } from './types.js';

interface LblcEntry extends LocalityEntry {
  dest: SchedDest;
}

/**
 * ip_vs_lblc.c, locality-based least-connection: each destination address keeps the server it was
 * last given. That server is used again while it is IP_VS_DEST_F_AVAILABLE (still in the service),
 * has weight > 0 and is not is_overloaded(); note the OVERLOAD flag itself is not consulted here.
 * Otherwise wlc picks a server and the entry is created or repointed.
 */
export class LocalityLeastConn implements Scheduler {
  readonly name = 'lblc';
  private readonly cache: LocalityTable<LblcEntry>;

  constructor(ctx: SchedContext, private readonly load: LoadView = new LocalityLoad()) {
    this.cache = new LocalityTable(ctx.startedAt, ctx.localityExpiration ?? DEFAULT_EXPIRATION);
  }

  update(dests: readonly SchedDest[]): void {
    this.load.update(dests);
  }

  countersChanged(dest: SchedDest): void {
    this.load.countersChanged(dest);
  }

  schedule(pkt: SchedPacket): SchedDest | null {
    this.cache.advance(pkt.now);
    const key = localityKey(pkt.dstFold, pkt.dstV6);
    const en = this.cache.get(key);
    if (en) {
      en.lastuse = pkt.now;
      const d = en.dest;
      if (d.available && d.weight > 0 && !this.load.isOverloaded(d)) return d;
    }
    const dest = this.load.leastLoaded();
    if (!dest) return null;
    // ip_vs_lblc_new: repoint an existing entry (its lastuse was just set), or add a fresh one.
    if (en) en.dest = dest;
    else this.cache.add({ key, fold: pkt.dstFold, lastuse: pkt.now, dest });
    return dest;
  }
}

export const lblc: SchedulerFactory = (ctx) => new LocalityLeastConn(ctx);
