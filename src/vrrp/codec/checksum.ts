/**
 * The Internet checksum (RFC 1071) and the pseudo-headers VRRPv3 sums in front of its message
 * (RFC 5798 §5.2.8: "the same pseudo-header … as TCP/UDP": RFC 768 for IPv4, RFC 8200 §8.1 for IPv6).
 */
import { v4ToU32, v6ToWords, type IpAddr } from '../../model/address.js';

/** IP protocol number of VRRP (RFC 5798 §5.1.1.4). */
export const IPPROTO_VRRP = 112;

/** Adds 16-bit big-endian words of bytes[from, to) to a running sum (an odd last byte is padded with zero). */
export function sumWords(bytes: Uint8Array, from = 0, to = bytes.length, acc = 0): number {
  let s = acc;
  let i = from;
  for (; i + 1 < to; i += 2) s += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < to) s += bytes[i]! << 8;
  return s;
}

/** Folds a running sum to 16 bits and complements it: the checksum field's value, 0 when a summed message is intact. */
export function finish(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** Sum of an address's 16-bit words. */
function sumAddr(a: IpAddr): number {
  const words = a.af === 4 ? [v4ToU32(a.text)] : v6ToWords(a.text);
  let s = 0;
  for (const w of words) s += (w >>> 16) + (w & 0xffff);
  return s;
}

/**
 * Sum of the pseudo-header for a VRRP message of `length` bytes from src to dst. IPv4: src, dst, zero,
 * protocol, length (16 bits); IPv6: src, dst, length (32 bits), three zero bytes, next header.
 * Both reduce to the same word sum since the length never exceeds 16 bits.
 */
export function pseudoHeaderSum(src: IpAddr, dst: IpAddr, length: number): number {
  return sumAddr(src) + sumAddr(dst) + IPPROTO_VRRP + length;
}
