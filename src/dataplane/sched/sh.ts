import { goldenMul } from './hash.js';
import { hashedLookup, type HashedTable } from './hashed-lookup.js';
import type { SchedContext, SchedDest, SchedPacket, Scheduler, SchedulerFactory } from './types.js';

/** IP_VS_SH_TAB_BITS (CONFIG_IP_VS_SH_TAB_BITS default 8). */
export const SH_TAB_SIZE = 256;
const SH_TAB_MASK = SH_TAB_SIZE - 1;

/**
 * ip_vs_sh.c ip_vs_sh_hashkey(): `(offset + (ntohs(port) + ntohl(addr_fold)) * 2654435761UL) & MASK`.
 * The sum wraps at 32 bits (u32 + int); the mask keeps only bits the low 32 of the product decide.
 */
export function shBucket(fold: number, port: number, offset: number): number {
  return (offset + goldenMul((port + fold) >>> 0)) & SH_TAB_MASK;
}

/**
 * ip_vs_sh.c: 256 buckets filled in list order, each dest repeated `weight` times (a weight-0 dest
 * still takes one bucket), wrapping until the table is full; looked up by source address, plus the
 * source port with sh-port. With sh-fallback an unavailable bucket is retried at rehashed offsets.
 */
export class SourceHash implements Scheduler, HashedTable {
  readonly name = 'sh';
  readonly table: (SchedDest | null)[] = new Array<SchedDest | null>(SH_TAB_SIZE).fill(null);

  constructor(private readonly ctx: SchedContext) {}

  /** ip_vs_sh_reassign, run by add_dest, del_dest and upd_dest alike. */
  update(dests: readonly SchedDest[]): void {
    let p = 0;
    let count = 0;
    for (let i = 0; i < SH_TAB_SIZE; i++) {
      if (dests.length === 0) {
        this.table[i] = null;
        continue;
      }
      const d = dests[p];
      this.table[i] = d;
      if (++count >= d.weight) {
        p = (p + 1) % dests.length;
        count = 0;
      }
    }
  }

  countersChanged(): void {}

  bucket(fold: number, port: number, offset: number): number {
    return shBucket(fold, port, offset);
  }

  schedule(pkt: SchedPacket): SchedDest | null {
    const { port, fallback } = this.ctx.flags;
    return hashedLookup(this, pkt.srcFold, port ? pkt.srcPort : 0, fallback);
  }
}

export const sh: SchedulerFactory = (ctx) => new SourceHash(ctx);
