import { TableError } from '../../model/errors.js';
import { hsiphash32, sipKey, type SipKey } from './hash.js';
import { hashedLookup, type HashedTable } from './hashed-lookup.js';
import type { SchedContext, SchedDest, SchedPacket, Scheduler, SchedulerFactory } from './types.js';
import { gcdWeight, maxWeight } from './weights.js';

/** primes[CONFIG_IP_VS_MH_TAB_INDEX - 8] with the default index 12 (ip_vs_mh.c). */
export const MH_TAB_SIZE = 4093;
/** IP_VS_MH_TAB_BITS = CONFIG_IP_VS_MH_TAB_INDEX / 2. */
const MH_TAB_BITS = 6;

/** generate_hash_secret(): fixed keys, so every director computes the same table. */
export const MH_HASH1 = sipKey(2654435761, 2654435761);
export const MH_HASH2 = sipKey(2654446892, 2654446892);

/** ip_vs_mh_hashkey(): hsiphash of the u32 `offset + ntohs(port) + ntohl(addr_fold)`. */
export function mhHash(key: SipKey, fold: number, port: number, offset: number): number {
  return hsiphash32((offset + port + fold) >>> 0, key);
}

const byLastWeight = (d: SchedDest): number => d.lastWeight;

function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

/**
 * ip_vs_mh.c, Maglev hashing: each dest gets a permutation of the 4093 slots from two hashes of its
 * address and port, and the table is filled round by round, each dest taking `turns` slots a round
 * (last_weight / gcd, shifted so the largest fits in 6 bits). last_weight, not weight, so a quiesced
 * dest keeps its slots and is only skipped as unavailable at lookup.
 */
export class MaglevHash implements Scheduler, HashedTable {
  readonly name = 'mh';
  readonly table: (SchedDest | null)[] = new Array<SchedDest | null>(MH_TAB_SIZE).fill(null);
  private bound = false;

  constructor(private readonly ctx: SchedContext) {}

  update(dests: readonly SchedDest[]): void {
    // ip_vs_mh_reassign refuses more dests than slots. At init_service that fails the bind (EINVAL);
    // from add/del/upd_dest the kernel ignores the error and keeps the previous table.
    if (dests.length > MH_TAB_SIZE) {
      if (!this.bound) throw new TableError('EINVAL', `mh: ${dests.length} destinations exceed the ${MH_TAB_SIZE}-slot table`);
      return;
    }
    this.bound = true;
    this.populate(dests);
  }

  countersChanged(): void {}

  bucket(fold: number, port: number, offset: number): number {
    return mhHash(MH_HASH1, fold, port, offset) % MH_TAB_SIZE;
  }

  schedule(pkt: SchedPacket): SchedDest | null {
    const { port, fallback } = this.ctx.flags;
    return hashedLookup(this, pkt.srcFold, port ? pkt.srcPort : 0, fallback);
  }

  /** ip_vs_mh_permutate + ip_vs_mh_populate. */
  private populate(dests: readonly SchedDest[]): void {
    const gcd = gcdWeight(dests, byLastWeight);
    if (gcd < 1) {
      this.table.fill(null);
      return;
    }
    const rshift = Math.max(0, fls(Math.trunc(maxWeight(dests, byLastWeight) / gcd)) - MH_TAB_BITS);
    const n = dests.length;
    const perm = new Int32Array(n);
    const skip = new Int32Array(n);
    const turns = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const d = dests[i];
      perm[i] = mhHash(MH_HASH1, d.addrFold, d.port, 0) % MH_TAB_SIZE;
      skip[i] = (mhHash(MH_HASH2, d.addrFold, d.port, 0) % (MH_TAB_SIZE - 1)) + 1;
      const lw = d.lastWeight;
      turns[i] = (Math.trunc(lw / gcd) >> rshift) || (lw !== 0 ? 1 : 0);
    }
    const used = new Uint8Array(MH_TAB_SIZE);
    let filled = 0;
    let taken = 0;
    // Rounds over the list; a dest takes `turns` slots before the next one, each at the next free
    // position of its permutation. The count of slots taken carries across rounds as in the kernel.
    for (;;) {
      for (let i = 0; i < n; ) {
        if (turns[i] < 1) {
          i++;
          continue;
        }
        let c = perm[i];
        while (used[c]) {
          c += skip[i];
          if (c >= MH_TAB_SIZE) c -= MH_TAB_SIZE;
        }
        perm[i] = c;
        used[c] = 1;
        this.table[c] = dests[i];
        if (++filled === MH_TAB_SIZE) return;
        if (++taken >= turns[i]) {
          taken = 0;
          i++;
        }
      }
    }
  }
}

export const mh: SchedulerFactory = (ctx) => new MaglevHash(ctx);
