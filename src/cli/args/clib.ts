/**
 * The few C library parsers ipvsadm leans on, with their exact leniencies: strtol, atoi, inet_aton and
 * inet_pton. Each returns null where the C function reports failure.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { parseIp, v4Text, type IpAddr } from '../../model/address.js';

const isSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * strtol(s, &end, 10) that must consume the whole string: leading blanks and a sign are allowed, at least one
 * digit is required. Returns null on a non-number or on a value beyond a 64-bit long (ERANGE).
 */
export function strtolWhole(s: string): number | null {
  let i = 0;
  while (i < s.length && isSpace(s[i]!)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  const start = i;
  while (i < s.length && isDigit(s[i]!)) i++;
  if (i === start || i !== s.length) return null;
  const v = BigInt(s.slice(start, i)) * (neg ? -1n : 1n);
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return Number(v);
}

/** ipvsadm's string_to_number(): a whole decimal in [min, max], else null (ipvsadm's -1). */
export function stringToNumber(s: string, min: number, max: number): number | null {
  const n = strtolWhole(s);
  return n !== null && n >= min && n <= max ? n : null;
}

/** atoi(): leading blanks, a sign, then as many digits as there are; 0 when there are none. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(s)!;
  const v = m[2] ? Number(m[2].slice(0, 15)) : 0;
  return m[1] === '-' ? -v : v;
}

/**
 * glibc inet_aton(): one to four parts, each decimal, 0-octal or 0x-hex; the last part fills the remaining
 * bytes ("10.1" is 10.0.0.1). Anything after a blank is ignored, as glibc does. Host-order u32 or null.
 */
export function inetAton(s: string): number | null {
  const parts: number[] = [];
  let i = 0;
  let val = 0;
  let sawDigit = false;
  for (;;) {
    if (!isDigit(s[i] ?? '')) return null;
    let base = 10;
    val = 0;
    sawDigit = false;
    if (s[i] === '0') {
      i++;
      if (s[i] === 'x' || s[i] === 'X') { base = 16; i++; } else { base = 8; sawDigit = true; }
    }
    for (;;) {
      const c = s[i] ?? '';
      const d = /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1;
      if (d < 0 || (d > 9 && base !== 16)) break;
      if (base === 8 && d > 7) return null;
      val = val * base + d;
      if (val > 0xffffffff) return null;
      sawDigit = true;
      i++;
    }
    if (s[i] !== '.') break;
    if (parts.length > 2 || val > 0xff) return null;
    parts.push(val);
    i++;
  }
  if (i < s.length && !isSpace(s[i]!)) return null;
  if (!sawDigit) return null;
  const limit = [0xffffffff, 0xffffff, 0xffff, 0xff][parts.length]!;
  if (val > limit) return null;
  let out = val;
  parts.forEach((p, k) => { out += p * 2 ** (24 - 8 * k); });
  return out >>> 0;
}

/** inet_aton() as an address. */
export function inetAtonAddr(s: string): IpAddr | null {
  const u = inetAton(s);
  return u === null ? null : { af: 4, text: v4Text(u) };
}

/** inet_pton(AF_INET6): Node's isIPv6 also takes a %zone, which inet_pton refuses. */
export function inetPton6(s: string): IpAddr | null {
  return !s.includes('%') && isIPv6(s) ? parseIp(s) : null;
}

/** inet_pton(AF_INET): strict dotted quad. */
export function inetPton4(s: string): IpAddr | null {
  return isIPv4(s) ? parseIp(s) : null;
}

/** ctype isdigit over the whole string, as ipvsadm's str_is_digit (true for ""). */
export function allDigits(s: string): boolean {
  for (const c of s) if (!isDigit(c)) return false;
  return true;
}
