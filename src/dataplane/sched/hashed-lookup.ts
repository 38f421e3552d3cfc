import type { SchedDest } from './types.js';

/** is_unavailable() in ip_vs_sh.c and ip_vs_mh.c: weight <= 0 (quiesced) or overloaded. */
export function unavailable(d: SchedDest): boolean {
  return d.weight <= 0 || d.overloaded;
}

/** A lookup table keyed by a hash of (address, port) plus an offset for rehashing. */
export interface HashedTable {
  readonly table: readonly (SchedDest | null)[];
  bucket(fold: number, port: number, offset: number): number;
}

/**
 * The lookup sh and mh share (ip_vs_sh_get / ip_vs_sh_get_fallback, ip_vs_mh_get /
 * ip_vs_mh_get_fallback): take the bucket at offset 0; without fallback an unavailable dest means
 * none; with fallback walk roffset = (offset + ihash) % size, rehashing each, until a usable dest,
 * an empty bucket or a full turn.
 */
export function hashedLookup(t: HashedTable, fold: number, port: number, fallback: boolean): SchedDest | null {
  const size = t.table.length;
  const ihash = t.bucket(fold, port, 0);
  let d = t.table[ihash];
  if (!fallback) return !d || unavailable(d) ? null : d;
  if (!d) return null;
  if (!unavailable(d)) return d;
  for (let offset = 0; offset < size; offset++) {
    d = t.table[t.bucket(fold, port, (offset + ihash) % size)];
    if (!d) break;
    if (!unavailable(d)) return d;
  }
  return null;
}
