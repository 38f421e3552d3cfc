import type { SchedDest } from './types.js';

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * The greatest common divisor of the positive weights, 0 when there are none (ip_vs_wrr_gcd_weight,
 * ip_vs_mh_gcd_weight; wrr then uses 1). `weightOf` picks weight or last_weight.
 */
export function gcdWeight(dests: readonly SchedDest[], weightOf: (d: SchedDest) => number): number {
  let g = 0;
  for (const d of dests) {
    const w = weightOf(d);
    if (w > 0) g = g > 0 ? gcd(w, g) : w;
  }
  return g;
}

/** The largest weight, at least 0 (ip_vs_wrr_max_weight, ip_vs_mh_shift_weight). */
export function maxWeight(dests: readonly SchedDest[], weightOf: (d: SchedDest) => number): number {
  let m = 0;
  for (const d of dests) m = Math.max(m, weightOf(d));
  return m;
}
