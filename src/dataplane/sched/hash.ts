/**
 * The hash functions the IPVS schedulers use, in exact 32-bit arithmetic (no BigInt on the hot path).
 */

/**
 * include/linux/hash.h hash_32(): `(val * GOLDEN_RATIO_32) >> (32 - bits)`, GOLDEN_RATIO_32 = 0x61C88647
 * (the generic __hash_32; x86, and so UML, has no arch override). It keeps the product's TOP bits.
 */
export function hash32(val: number, bits: number): number {
  return Math.imul(val, 0x61c88647) >>> (32 - bits);
}

/** A 64-bit siphash key word pair as the kernel stores it (hsiphash_key_t is two unsigned longs on 64-bit). */
export interface SipKey {
  readonly k0hi: number;
  readonly k0lo: number;
  readonly k1hi: number;
  readonly k1lo: number;
}

export function sipKey(k0: number, k1: number, k0hi = 0, k1hi = 0): SipKey {
  return { k0hi: k0hi | 0, k0lo: k0 | 0, k1hi: k1hi | 0, k1lo: k1 | 0 };
}

/** a += b on (hi, lo) pairs needs the carry out of the low word; `>>> 0` reads both as unsigned. */
function carry(sumLo: number, aLo: number): number {
  return (sumLo >>> 0) < (aLo >>> 0) ? 1 : 0;
}

/**
 * hsiphash() of one 4-byte value as a 64-bit kernel computes it (lib/siphash.c, BITS_PER_LONG == 64):
 * there "HalfSipHash" is SipHash-1-3 with 64-bit key words, the 4 bytes land in the final block
 * `b = (4 << 56) | value` (the same as hsiphash_1u32), and the u64 result is truncated to u32.
 */
export function hsiphash32(value: number, key: SipKey): number {
  let v0h = 0x736f6d65 ^ key.k0hi, v0l = 0x70736575 ^ key.k0lo;
  let v1h = 0x646f7261 ^ key.k1hi, v1l = 0x6e646f6d ^ key.k1lo;
  let v2h = 0x6c796765 ^ key.k0hi, v2l = 0x6e657261 ^ key.k0lo;
  let v3h = 0x74656462 ^ key.k1hi, v3l = 0x79746573 ^ key.k1lo;
  const bh = 0x04000000;
  const bl = value | 0;
  v3h ^= bh; v3l ^= bl;
  // One SIPROUND, then the finalisation's three; the state stays in locals (no allocation, no context
  // slots), the 64-bit rotations split over the (hi, lo) halves.
  for (let round = 0; round < 4; round++) {
    if (round === 1) {
      v0h ^= bh; v0l ^= bl;
      v2l ^= 0xff;
    }
    let lo: number, hi: number, t: number;
    // v0 += v1; v1 = rol64(v1, 13); v1 ^= v0; v0 = rol64(v0, 32)
    lo = (v0l + v1l) | 0; v0h = (v0h + v1h + carry(lo, v0l)) | 0; v0l = lo;
    hi = (v1h << 13) | (v1l >>> 19); lo = (v1l << 13) | (v1h >>> 19);
    v1h = hi ^ v0h; v1l = lo ^ v0l;
    t = v0h; v0h = v0l; v0l = t;
    // v2 += v3; v3 = rol64(v3, 16); v3 ^= v2
    lo = (v2l + v3l) | 0; v2h = (v2h + v3h + carry(lo, v2l)) | 0; v2l = lo;
    hi = (v3h << 16) | (v3l >>> 16); lo = (v3l << 16) | (v3h >>> 16);
    v3h = hi ^ v2h; v3l = lo ^ v2l;
    // v0 += v3; v3 = rol64(v3, 21); v3 ^= v0
    lo = (v0l + v3l) | 0; v0h = (v0h + v3h + carry(lo, v0l)) | 0; v0l = lo;
    hi = (v3h << 21) | (v3l >>> 11); lo = (v3l << 21) | (v3h >>> 11);
    v3h = hi ^ v0h; v3l = lo ^ v0l;
    // v2 += v1; v1 = rol64(v1, 17); v1 ^= v2; v2 = rol64(v2, 32)
    lo = (v2l + v1l) | 0; v2h = (v2h + v1h + carry(lo, v2l)) | 0; v2l = lo;
    hi = (v1h << 17) | (v1l >>> 15); lo = (v1l << 17) | (v1h >>> 15);
    v1h = hi ^ v2h; v1l = lo ^ v2l;
    t = v2h; v2h = v2l; v2l = t;
  }
  return (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
}
