import { hash32 } from './hash.js';
import { hashedLookup, type HashedTable } from './hashed-lookup.js';
import type { SchedContext, SchedDest, SchedPacket, Scheduler, SchedulerFactory } from './types.js';

/** IP_VS_SH_TAB_BITS (CONFIG_IP_VS_SH_TAB_BITS default 8). */
const SH_TAB_BITS = 8;
export const SH_TAB_SIZE = 1 << SH_TAB_BITS;
const SH_TAB_MASK = SH_TAB_SIZE - 1;

/**
 * ip_vs_sh.c ip_vs_sh_hashkey() as mainline and the 6.1 kernel have it:
 * `(offset + hash_32(ntohs(port) + ntohl(addr_fold), IP_VS_SH_TAB_BITS)) & MASK` — the TOP 8 bits of the
 * golden-ratio product, so clients differing anywhere in the address spread over the table. Kernels up to
 * at least 4.0 (read in linux-4.0.5) used `(offset + (port + addr_fold) * 2654435761UL) & MASK`, the LOW
 * byte of the product, where only the address's last octet counted; 6.1 (the kernel tier's UML guest)
 * and mainline use hash_32, and the kernel tier's differential test checks the choice against 6.1.
 * The sum wraps at 32 bits (u32 + int).
 */
export function shBucket(fold: number, port: number, offset: number): number {
  return (offset + hash32((port + fold) >>> 0, SH_TAB_BITS)) & SH_TAB_MASK;
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
