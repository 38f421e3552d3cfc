import { goldenMul } from './hash.js';
import type { SchedDest, SchedPacket, Scheduler, SchedulerFactory } from './types.js';

/** IP_VS_DH_TAB_BITS (CONFIG_IP_VS_DH_TAB_BITS default 8). */
const DH_TAB_SIZE = 256;
const DH_TAB_MASK = DH_TAB_SIZE - 1;

/** ip_vs_dh.c ip_vs_dh_hashkey(): `(ntohl(addr_fold) * 2654435761UL) & IP_VS_DH_TAB_MASK`. */
export function dhBucket(dstFold: number): number {
  return goldenMul(dstFold) & DH_TAB_MASK;
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
