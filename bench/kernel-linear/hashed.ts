/**
 * Straight ports of ip_vs_dh.c, ip_vs_sh.c and ip_vs_mh.c in the kernel's own u64 arithmetic (BigInt),
 * independent of lvsd's 32-bit versions: the mh and sh tests use them as the reference.
 */
import type { SchedContext, SchedDest, SchedPacket, Scheduler, SchedulerFactory } from '../../src/dataplane/sched/types.js';

const U64 = (1n << 64n) - 1n;
const rol64 = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & U64;

/** lib/siphash.c __hsiphash_unaligned() for a 4-byte input on BITS_PER_LONG == 64 (SipHash-1-3). */
export function hsiphashRef(value: number, k0: bigint, k1: bigint): number {
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = (): void => {
    v0 = (v0 + v1) & U64; v1 = rol64(v1, 13n); v1 ^= v0; v0 = rol64(v0, 32n);
    v2 = (v2 + v3) & U64; v3 = rol64(v3, 16n); v3 ^= v2;
    v0 = (v0 + v3) & U64; v3 = rol64(v3, 21n); v3 ^= v0;
    v2 = (v2 + v1) & U64; v1 = rol64(v1, 17n); v1 ^= v2; v2 = rol64(v2, 32n);
  };
  const b = (4n << 56n) | BigInt(value >>> 0);
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  return Number((v0 ^ v1 ^ v2 ^ v3) & 0xffffffffn);
}

const isUnavailable = (d: SchedDest): boolean => d.weight <= 0 || d.overloaded;

/** include/linux/hash.h hash_32(val, 8) for a u32 val: the top 8 bits of the u32 product with GOLDEN_RATIO_32. */
const hash32Ref8 = (val: bigint): number => Number(((val * 0x61c88647n) & 0xffffffffn) >> 24n);

class DestinationHash implements Scheduler {
  readonly name = 'dh';
  private buckets: (SchedDest | null)[] = [];
  update(dests: readonly SchedDest[]): void {
    this.buckets = [];
    let p = 0;
    for (let i = 0; i < 256; i++) {
      if (dests.length === 0) this.buckets.push(null);
      else {
        if (p === dests.length) p = 0;
        this.buckets.push(dests[p++]);
      }
    }
  }
  countersChanged(): void {}
  schedule(pkt: SchedPacket): SchedDest | null {
    // ip_vs_dh_hashkey (6.1, mainline): hash_32(ntohl(addr_fold), IP_VS_DH_TAB_BITS)
    const dest = this.buckets[hash32Ref8(BigInt(pkt.dstFold >>> 0))];
    if (!dest || !dest.available || dest.weight <= 0 || dest.overloaded) return null;
    return dest;
  }
}

/** ip_vs_sh_hashkey (6.1, mainline): (offset + hash_32((u32)(port + addr), IP_VS_SH_TAB_BITS)) & MASK. */
export function shHashRef(fold: number, port: number, offset: number): number {
  const sum = BigInt((port + fold) % 2 ** 32);
  return (offset + hash32Ref8(sum)) & 255;
}

class SourceHash implements Scheduler {
  readonly name = 'sh';
  buckets: (SchedDest | null)[] = [];
  constructor(private readonly ctx: SchedContext) {}
  update(dests: readonly SchedDest[]): void {
    this.buckets = [];
    let p = 0;
    let dCount = 0;
    for (let i = 0; i < 256; i++) {
      if (dests.length === 0) {
        this.buckets.push(null);
        continue;
      }
      if (p === dests.length) p = 0;
      const dest = dests[p];
      this.buckets.push(dest);
      if (++dCount >= dest.weight) {
        p++;
        dCount = 0;
      }
    }
  }
  countersChanged(): void {}
  schedule(pkt: SchedPacket): SchedDest | null {
    const port = this.ctx.flags.port ? pkt.srcPort : 0;
    const ihash = shHashRef(pkt.srcFold, port, 0);
    let dest = this.buckets[ihash];
    if (!this.ctx.flags.fallback) return !dest || isUnavailable(dest) ? null : dest;
    if (!dest) return null;
    if (!isUnavailable(dest)) return dest;
    for (let offset = 0; offset < 256; offset++) {
      const roffset = (offset + ihash) % 256;
      dest = this.buckets[shHashRef(pkt.srcFold, port, roffset)];
      if (!dest) break;
      if (!isUnavailable(dest)) return dest;
    }
    return null;
  }
}

const MH_SIZE = 4093;
const mhKey = (fold: number, port: number, k: bigint, offset: number): number =>
  hsiphashRef((offset + port + fold) % 2 ** 32, k, k);

class MaglevHash implements Scheduler {
  readonly name = 'mh';
  lookup: (SchedDest | null)[] = new Array<SchedDest | null>(MH_SIZE).fill(null);
  constructor(private readonly ctx: SchedContext) {}

  update(dests: readonly SchedDest[]): void {
    if (dests.length > MH_SIZE) return; // ip_vs_mh_reassign: -EINVAL, table untouched
    let gcd = 0;
    let maxLw = 0;
    for (const d of dests) {
      if (d.lastWeight > 0) {
        let a = d.lastWeight;
        let b = gcd;
        while (b) [a, b] = [b, a % b];
        gcd = a;
      }
      if (d.lastWeight > maxLw) maxLw = d.lastWeight;
    }
    if (gcd < 1) {
      this.lookup.fill(null);
      return;
    }
    const mw = Math.trunc(maxLw / gcd);
    const rshift = Math.max(0, (mw === 0 ? 0 : 32 - Math.clz32(mw)) - 6);
    const setup = dests.map((d) => {
      const offset = mhKey(d.addrFold, d.port, 2654435761n, 0) % MH_SIZE;
      const skip = (mhKey(d.addrFold, d.port, 2654446892n, 0) % (MH_SIZE - 1)) + 1;
      const lw = d.lastWeight;
      return { perm: offset, skip, turns: (Math.trunc(lw / gcd) >> rshift) || (lw !== 0 ? 1 : 0) };
    });
    const table = new Array<boolean>(MH_SIZE).fill(false);
    let n = 0;
    let dtCount = 0;
    let p = dests.length; // the list head
    while (n < MH_SIZE) {
      if (p === dests.length) p = 0;
      let ds = 0;
      while (p !== dests.length) {
        if (setup[ds].turns < 1) {
          p++;
          ds++;
          continue;
        }
        let c = setup[ds].perm;
        while (table[c]) {
          setup[ds].perm += setup[ds].skip;
          if (setup[ds].perm >= MH_SIZE) setup[ds].perm -= MH_SIZE;
          c = setup[ds].perm;
        }
        table[c] = true;
        this.lookup[c] = dests[p];
        if (++n === MH_SIZE) return;
        if (++dtCount >= setup[ds].turns) {
          dtCount = 0;
          p++;
          ds++;
        }
      }
    }
  }

  countersChanged(): void {}

  schedule(pkt: SchedPacket): SchedDest | null {
    const port = this.ctx.flags.port ? pkt.srcPort : 0;
    const ihash = mhKey(pkt.srcFold, port, 2654435761n, 0) % MH_SIZE;
    let dest = this.lookup[ihash];
    if (!this.ctx.flags.fallback) return !dest || isUnavailable(dest) ? null : dest;
    if (!dest) return null;
    if (!isUnavailable(dest)) return dest;
    for (let offset = 0; offset < MH_SIZE; offset++) {
      const roffset = (offset + ihash) % MH_SIZE;
      dest = this.lookup[mhKey(pkt.srcFold, port, 2654435761n, roffset) % MH_SIZE];
      if (!dest) break;
      if (!isUnavailable(dest)) return dest;
    }
    return null;
  }
}

export const dh: SchedulerFactory = () => new DestinationHash();
export const sh: SchedulerFactory = (ctx) => new SourceHash(ctx);
export const mh: SchedulerFactory = (ctx) => new MaglevHash(ctx);
