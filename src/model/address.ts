import { isIPv4, isIPv6 } from 'node:net';

export type Family = 4 | 6;

/** An IP address in canonical text form with its family. Text is the identity used in keys. */
export interface IpAddr {
  readonly af: Family;
  readonly text: string;
}

/** Parses an IPv4 or IPv6 literal (no brackets); returns null when it is neither. */
export function parseIp(s: string): IpAddr | null {
  if (isIPv4(s)) return { af: 4, text: v4Text(v4ToU32(s)) };
  if (isIPv6(s)) return { af: 6, text: v6Text(v6ToWords(s)) };
  return null;
}

/** A dotted quad (already validated) as a host-order u32; by hand, as listings sort 110,000 of them. */
export function v4ToU32(s: string): number {
  let v = 0;
  let part = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e) {
      v = v * 256 + part;
      part = 0;
    } else part = part * 10 + c - 0x30;
  }
  return (v * 256 + part) >>> 0;
}

export function v4Text(u: number): string {
  return `${u >>> 24}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
}

/** Four host-order 32-bit words of an IPv6 literal. */
export function v6ToWords(s: string): [number, number, number, number] {
  let t = s;
  if (t.includes('.')) {
    // an embedded dotted quad is two more hex groups
    const c = t.lastIndexOf(':');
    const u = v4ToU32(t.slice(c + 1));
    t = `${t.slice(0, c + 1)}${(u >>> 16).toString(16)}:${(u & 0xffff).toString(16)}`;
  }
  const hexes = (part: string) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const at = t.indexOf('::');
  let groups: number[];
  if (at < 0) {
    groups = hexes(t);
  } else {
    const left = hexes(t.slice(0, at));
    const right = hexes(t.slice(at + 2));
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  const w = (i: number) => (((groups[i * 2] ?? 0) << 16) | (groups[i * 2 + 1] ?? 0)) >>> 0;
  return [w(0), w(1), w(2), w(3)];
}

/** RFC 5952 text, as inet_ntop prints it (ipvsadm uses inet_ntop). */
export function v6Text(words: readonly number[]): string {
  const g: number[] = [];
  for (const w of words) g.push(w >>> 16, w & 0xffff);
  // inet_ntop prints ::ffff:a.b.c.d and ::a.b.c.d forms for mapped/compatible addresses
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || (g[5] === 0 && (g[6]! > 0 || g[7]! > 1)))) {
    const tail = v4Text(words[3]!);
    return g[5] === 0xffff ? `::ffff:${tail}` : `::${tail}`;
  }
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

/** The kernel's ip_vs_addr_fold: the v4 address, or the XOR of the four v6 words (host order). */
export function addrFold(a: IpAddr): number {
  if (a.af === 4) return v4ToU32(a.text);
  const w = v6ToWords(a.text);
  return (w[0] ^ w[1] ^ w[2] ^ w[3]) >>> 0;
}

/** Formats addr:port the way ipvsadm does: v4 a.b.c.d:port, v6 [addr]:port. */
export function addrPort(a: IpAddr, port: number): string {
  return a.af === 6 ? `[${a.text}]:${port}` : `${a.text}:${port}`;
}
