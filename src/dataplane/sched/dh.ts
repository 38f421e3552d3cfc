import { hash32 } from './hash.js';
import type { SchedDest, SchedPacket, Scheduler, SchedulerFactory } from './types.js';

/** IP_VS_DH_TAB_BITS (CONFIG_IP_VS_DH_TAB_BITS default 8). */
const DH_TAB_BITS = 8;
const DH_TAB_SIZE = 1 << DH_TAB_BITS;

/**
 * ip_vs_dh.c ip_vs_dh_hashkey() in 6.1 and mainline: `hash_32(ntohl(addr_fold), IP_VS_DH_TAB_BITS)`,
 * the top 8 bits of the golden-ratio product. Older kernels (4.0 and before) masked the low byte of
 * `addr_fold * 2654435761UL` instead; see shBucket in sh.ts.
 */
export function dhBucket(dstFold: number): number {
  return hash32(dstFold, DH_TAB_BITS);
}

/**
 * ip_vs_dh.c: a static 256-bucket table dealt round-robin over the dests (weight plays no part in the
 * deal), looked up by the packet's destination address. The kernel rebuilds it on add_dest and
 * del_dest only, which for a weight-blind table is the same as rebuilding on every update.
 */
export class DestinationHash implements Scheduler {
  readonly name = 'dh';
  readonly table: (SchedDest | null)[] = new Array<SchedDest | null>(DH_TAB_SIZE).fill(null);

  update(dests: readonly SchedDest[]): void {
    for (let i = 0; i < DH_TAB_SIZE; i++) this.table[i] = dests.length === 0 ? null : dests[i % dests.length];
  }

  countersChanged(): void {}

  schedule(pkt: SchedPacket): SchedDest | null {
    const d = this.table[dhBucket(pkt.dstFold)];
    // ip_vs_dh_schedule: no dest, not IP_VS_DEST_F_AVAILABLE, weight <= 0 or overloaded → none.
    if (!d || !d.available || d.weight <= 0 || d.overloaded) return null;
    return d;
  }
}

export const dh: SchedulerFactory = () => new DestinationHash();
