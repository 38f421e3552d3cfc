/**
 * The listing order, exactly as ipvsadm produces it: libipvs's ipvs_cmp_services()/ipvs_cmp_dests() run by
 * glibc's qsort(), which is a top-down merge sort (msort.c).
 *
 * The comparators store `ntohl(a) - ntohl(b)` (and the fwmark difference) in an `int`, so a difference beyond
 * 2^31 wraps and flips its sign: 10.0.0.1 sorts after 200.0.0.1. That relation is not even transitive, so
 * the result depends on the algorithm; reproducing glibc's merge order keeps it byte-identical.
 */
import type { IpAddr } from '../../model/address.js';
import { v4ToU32, v6ToWords } from '../../model/address.js';
import { IPPROTO } from '../../model/protocol.js';
import type { DestEntry, ServiceEntry } from '../../model/table.js';

/** A C `int` holding an unsigned 32-bit difference. */
const wrap = (a: number, b: number): number => (a - b) | 0;

/** The four 32-bit words of nf_inet_addr: a v4 address fills the first. */
function words(a: IpAddr): readonly number[] {
  return a.af === 4 ? [v4ToU32(a.text), 0, 0, 0] : v6ToWords(a.text);
}

/** Compares as many words as the first operand's family has (libipvs looks only at d1/s1's af). */
function cmpAddr(a: IpAddr, b: IpAddr): number {
  const wa = words(a);
  const wb = words(b);
  const n = a.af === 6 ? 4 : 1;
  for (let i = 0; i < n; i++) {
    const r = wrap(wa[i]!, wb[i]!);
    if (r !== 0) return r;
  }
  return 0;
}

/** AF_INET 2, AF_INET6 10: the kernel's order of families. */
const AF = { 4: 2, 6: 10 } as const;

/** ipvs_cmp_services(). Fwmark services come back from the kernel with protocol, address and port zero. */
export function cmpServices(x: ServiceEntry, y: ServiceEntry): number {
  const a = x.spec.id;
  const b = y.spec.id;
  const fw = (id: typeof a): number => (id.kind === 'fwmark' ? id.fwmark : 0);
  let r = wrap(fw(a), fw(b));
  if (r !== 0) return r;
  const af = (id: typeof a): number => AF[id.kind === 'fwmark' ? id.af : id.addr.af];
  r = af(a) - af(b);
  if (r !== 0 || a.kind !== 'addr' || b.kind !== 'addr') return r;
  r = IPPROTO[a.protocol] - IPPROTO[b.protocol];
  if (r !== 0) return r;
  r = cmpAddr(a.addr, b.addr);
  return r !== 0 ? r : a.port - b.port;
}

/** ipvs_cmp_dests(). */
export function cmpDests(x: DestEntry, y: DestEntry): number {
  const r = cmpAddr(x.spec.addr, y.spec.addr);
  return r !== 0 ? r : x.spec.port - y.spec.port;
}

/** glibc msort_with_tmp(): split n/2, sort both halves, merge taking the left element while cmp <= 0. */
export function glibcQsort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return [...items];
  const n1 = items.length >> 1;
  const left = glibcQsort(items.slice(0, n1), cmp);
  const right = glibcQsort(items.slice(n1), cmp);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) out.push(cmp(left[i]!, right[j]!) <= 0 ? left[i++]! : right[j++]!);
  return out.concat(left.slice(i), right.slice(j));
}
