/** IPv4/IPv6 addresses in network byte order inside a byte buffer. */
import { v4Text, v4ToU32, v6Text, v6ToWords, type Family, type IpAddr } from '../../model/address.js';

export const addrLen = (af: Family): number => (af === 4 ? 4 : 16);

const word = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

export function readAddr(b: Uint8Array, at: number, af: Family): IpAddr {
  if (af === 4) return { af, text: v4Text(word(b, at)) };
  return { af, text: v6Text([word(b, at), word(b, at + 4), word(b, at + 8), word(b, at + 12)]) };
}

export function writeAddr(b: Uint8Array, at: number, a: IpAddr): void {
  const words = a.af === 4 ? [v4ToU32(a.text)] : v6ToWords(a.text);
  words.forEach((w, i) => {
    b[at + i * 4] = w >>> 24;
    b[at + i * 4 + 1] = (w >>> 16) & 0xff;
    b[at + i * 4 + 2] = (w >>> 8) & 0xff;
    b[at + i * 4 + 3] = w & 0xff;
  });
}

/**
 * Orders two addresses of one family as numbers in network byte order: the VRRP tie-break between equal
 * priorities goes to the higher primary address (RFC 5798 §6.4.3, RFC 3768 §6.4.3; keepalived vrrp_saddr_cmp).
 */
export function compareAddr(a: IpAddr, b: IpAddr): number {
  const wa = a.af === 4 ? [v4ToU32(a.text)] : v6ToWords(a.text);
  const wb = b.af === 4 ? [v4ToU32(b.text)] : v6ToWords(b.text);
  for (let i = 0; i < Math.min(wa.length, wb.length); i++) if (wa[i] !== wb[i]) return wa[i]! < wb[i]! ? -1 : 1;
  return wa.length - wb.length;
}
