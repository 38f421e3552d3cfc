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

/** An address as the comparators read it: its family and words, worked out once per item, not per comparison. */
interface AddrKey {
  readonly af: 4 | 6;
  readonly w: readonly number[];
}

const addrKey = (a: IpAddr): AddrKey => ({ af: a.af, w: words(a) });

/** Compares as many words as the first operand's family has (libipvs looks only at d1/s1's af). */
function cmpAddr(a: AddrKey, b: AddrKey): number {
  const n = a.af === 6 ? 4 : 1;
  for (let i = 0; i < n; i++) {
    const r = wrap(a.w[i]!, b.w[i]!);
    if (r !== 0) return r;
  }
  return 0;
}

/** AF_INET 2, AF_INET6 10: the kernel's order of families. */
const AF = { 4: 2, 6: 10 } as const;

/** What ipvs_cmp_services() reads. Fwmark services come back from the kernel with protocol, address and port zero. */
interface ServiceKey {
  readonly fwmark: number;
  readonly af: number;
  readonly proto: number;
  readonly addr: AddrKey | null;
  readonly port: number;
}

function serviceSortKey(e: ServiceEntry): ServiceKey {
  const id = e.spec.id;
  if (id.kind === 'fwmark') return { fwmark: id.fwmark, af: AF[id.af], proto: 0, addr: null, port: 0 };
  return { fwmark: 0, af: AF[id.addr.af], proto: IPPROTO[id.protocol], addr: addrKey(id.addr), port: id.port };
}

function cmpServiceKeys(a: ServiceKey, b: ServiceKey): number {
  let r = wrap(a.fwmark, b.fwmark);
  if (r !== 0) return r;
  r = a.af - b.af;
  if (r !== 0 || !a.addr || !b.addr) return r;
  r = a.proto - b.proto;
  if (r !== 0) return r;
  r = cmpAddr(a.addr, b.addr);
  return r !== 0 ? r : a.port - b.port;
}

interface DestKey {
  readonly addr: AddrKey;
  readonly port: number;
}

const destSortKey = (e: DestEntry): DestKey => ({ addr: addrKey(e.spec.addr), port: e.spec.port });

function cmpDestKeys(a: DestKey, b: DestKey): number {
  const r = cmpAddr(a.addr, b.addr);
  return r !== 0 ? r : a.port - b.port;
}

/** ipvs_cmp_services(). */
export function cmpServices(x: ServiceEntry, y: ServiceEntry): number {
  return cmpServiceKeys(serviceSortKey(x), serviceSortKey(y));
}

/** ipvs_cmp_dests(). */
export function cmpDests(x: DestEntry, y: DestEntry): number {
  return cmpDestKeys(destSortKey(x), destSortKey(y));
}

/** Services in ipvsadm's order. */
export function sortServices(items: readonly ServiceEntry[]): ServiceEntry[] {
  return sortedBy(items, serviceSortKey, cmpServiceKeys);
}

/** A service's real servers in ipvsadm's order. */
export function sortDests(items: readonly DestEntry[]): DestEntry[] {
  return sortedBy(items, destSortKey, cmpDestKeys);
}

function sortedBy<T, K>(items: readonly T[], key: (t: T) => K, cmp: (a: K, b: K) => number): T[] {
  const decorated = items.map((item) => ({ item, key: key(item) }));
  return glibcQsort(decorated, (a, b) => cmp(a.key, b.key)).map((d) => d.item);
}

/** glibc msort_with_tmp(): split n/2, sort both halves, merge taking the left element while cmp <= 0. */
export function glibcQsort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  const a = [...items];
  msort(a, new Array<T>(a.length), 0, a.length, cmp);
  return a;
}

/** Sorts a[lo, lo+n) in place through tmp; what is left of the right half after the merge is already in place. */
function msort<T>(a: T[], tmp: T[], lo: number, n: number, cmp: (a: T, b: T) => number): void {
  if (n <= 1) return;
  const n1 = n >> 1;
  msort(a, tmp, lo, n1, cmp);
  msort(a, tmp, lo + n1, n - n1, cmp);
  let i = lo;
  let j = lo + n1;
  let k = 0;
  while (i < lo + n1 && j < lo + n) tmp[k++] = cmp(a[i]!, a[j]!) <= 0 ? a[i++]! : a[j++]!;
  while (i < lo + n1) tmp[k++] = a[i++]!;
  for (let m = 0; m < k; m++) a[lo + m] = tmp[m]!;
}
