/**
 * VRRP advertisement messages, without the IP header: VRRPv2 (RFC 3768 §5.1) and VRRPv3 (RFC 5798 §5.1).
 *
 *   v2:  | ver 4b | type 4b | VRID | Priority | Count IPvX Addr | Auth Type | Adver Int (s) | Checksum 16 |
 *        | IPv4 address × count | Authentication Data (8 bytes) |
 *   v3:  | ver 4b | type 4b | VRID | Priority | Count IPvX Addr | rsvd 4b | Max Adver Int (cs) 12b | Checksum 16 |
 *        | IPv4 or IPv6 address × count |
 *
 * Decoding is structural only: it reads what the header says and rejects only what cannot be read
 * (too short, or a length the header does not account for). Whether the fields are acceptable for an
 * instance (version, type, VRID, checksum, authentication…) is validate.ts's business, in keepalived's order.
 */
import type { Family, IpAddr } from '../../model/address.js';
import { addrLen, readAddr, writeAddr } from './addr-bytes.js';
import { finish, pseudoHeaderSum, sumWords } from './checksum.js';

/** RFC 3768 §5.3.2 / RFC 5798 §5.2.2: the only defined type. */
export const ADVERTISEMENT = 1;
/** RFC 3768 §5.3.6 (kept by keepalived): 0 none, 1 simple text password, 2 IP Authentication Header. */
export const AUTH_NONE = 0;
export const AUTH_PASS = 1;
export const AUTH_AH = 2;
/** The configured auth_type's code. */
export const AUTH_TYPE_CODE = { PASS: AUTH_PASS, AH: AUTH_AH } as const;
/** RFC 3768 §5.3.10: 8 octets of authentication data. */
export const AUTH_DATA_LEN = 8;
const HEADER_LEN = 8;

interface AdvertBase {
  readonly vrid: number;
  /** 0 = the master stops (RFC 5798 §5.2.4), 255 = address owner. */
  readonly priority: number;
  /** The virtual addresses, all of the message's family. */
  readonly addrs: readonly IpAddr[];
}

export interface AdvertV2 extends AdvertBase {
  readonly version: 2;
  readonly authType: number;
  /** 8 bytes; a PASS password zero-padded (keepalived copies it into a zeroed char[8]). */
  readonly authData: Uint8Array;
  /** Whole seconds, 1..255 (RFC 3768 §5.3.7). */
  readonly advertIntSec: number;
}

export interface AdvertV3 extends AdvertBase {
  readonly version: 3;
  /** Centiseconds, 12 bits (RFC 5798 §5.2.7). */
  readonly advertIntCs: number;
}

export type Advert = AdvertV2 | AdvertV3;

/** The addresses the IP header carries: v3 sums them into its checksum. */
export interface Endpoints {
  readonly src: IpAddr;
  readonly dst: IpAddr;
}

/** What the bytes say, before any judgement. `version` selects the layout: 2 is v2, anything else v3's. */
export interface RawAdvert {
  readonly version: number;
  readonly type: number;
  readonly vrid: number;
  readonly priority: number;
  readonly count: number;
  /** v2 layout only; 0 otherwise. */
  readonly authType: number;
  /** v2: seconds (8 bits); v3: centiseconds (low 12 bits). */
  readonly advertInt: number;
  readonly checksum: number;
  readonly addrs: readonly IpAddr[];
  /** v2 layout only (8 bytes); empty otherwise. */
  readonly authData: Uint8Array;
  /** Bytes the header accounts for: the part the checksum covers (+ authentication data for v2). */
  readonly length: number;
}

export type DecodeResult =
  | { readonly ok: true; readonly raw: RawAdvert }
  | { readonly ok: false; readonly reason: 'truncated' | 'length'; readonly detail: string };

/** keepalived expected_vrrp_pkt_len: authentication data only for v2 over IPv4. */
const hasAuth = (version: number, af: Family) => version === 2 && af === 4;

/** Reads a message of the given family; never throws. */
export function decodeAdvert(bytes: Uint8Array, af: Family): DecodeResult {
  if (bytes.length < HEADER_LEN) {
    return { ok: false, reason: 'truncated', detail: `${bytes.length} bytes is shorter than the 8-byte VRRP header` };
  }
  const version = bytes[0]! >> 4;
  const count = bytes[3]!;
  const v2 = version === 2;
  const auth = hasAuth(version, af) ? AUTH_DATA_LEN : 0;
  const length = HEADER_LEN + count * addrLen(af) + auth;
  if (bytes.length !== length) {
    const how = bytes.length < length ? 'truncated' : 'length';
    return { ok: false, reason: how, detail: `${bytes.length} bytes, but ${count} IPv${af} address(es) make a ${length}-byte message` };
  }
  const addrs: IpAddr[] = [];
  for (let i = 0, at = HEADER_LEN; i < count; i++, at += addrLen(af)) addrs.push(readAddr(bytes, at, af));
  return {
    ok: true,
    raw: {
      version, type: bytes[0]! & 0x0f, vrid: bytes[1]!, priority: bytes[2]!, count,
      authType: v2 ? bytes[4]! : 0,
      advertInt: v2 ? bytes[5]! : ((bytes[4]! << 8) | bytes[5]!) & 0x0fff,
      checksum: (bytes[6]! << 8) | bytes[7]!,
      addrs,
      authData: bytes.slice(length - auth, length),
      length,
    },
  };
}

/** True when the checksum sums to zero: v2 over the whole message, v3 with the pseudo-header (RFC 5798 §5.2.8). */
export function checksumOk(bytes: Uint8Array, raw: RawAdvert, ends: Endpoints): boolean {
  const pseudo = raw.version === 2 ? 0 : pseudoHeaderSum(ends.src, ends.dst, raw.length);
  return finish(sumWords(bytes, 0, raw.length, pseudo)) === 0;
}

/** The validated fields as an Advert (the caller has checked the version). */
export function advertOf(raw: RawAdvert): Advert {
  const base = { vrid: raw.vrid, priority: raw.priority, addrs: raw.addrs };
  return raw.version === 2
    ? { ...base, version: 2, authType: raw.authType, authData: raw.authData, advertIntSec: raw.advertInt }
    : { ...base, version: 3, advertIntCs: raw.advertInt };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new RangeError(`cannot encode VRRP advertisement: ${what}`);
}

/** Builds the message with its checksum. Throws RangeError for fields out of range (our own data, not a peer's). */
export function encodeAdvert(a: Advert, ends: Endpoints): Uint8Array {
  const af = a.addrs[0]?.af ?? ends.src.af;
  check(Number.isInteger(a.vrid) && a.vrid >= 1 && a.vrid <= 255, `VRID ${a.vrid} is not 1..255`);
  check(Number.isInteger(a.priority) && a.priority >= 0 && a.priority <= 255, `priority ${a.priority} is not 0..255`);
  check(a.addrs.length <= 255, `${a.addrs.length} addresses do not fit the 8-bit count`);
  check(a.addrs.every((x) => x.af === af), 'addresses of mixed families');
  check(a.version === 3 || af === 4, 'VRRPv2 carries IPv4 addresses only (RFC 3768 §5.3.5)');
  const auth = hasAuth(a.version, af) ? AUTH_DATA_LEN : 0;
  const length = HEADER_LEN + a.addrs.length * addrLen(af) + auth;
  const b = new Uint8Array(length);
  b[0] = (a.version << 4) | ADVERTISEMENT;
  b[1] = a.vrid;
  b[2] = a.priority;
  b[3] = a.addrs.length;
  if (a.version === 2) {
    check(Number.isInteger(a.advertIntSec) && a.advertIntSec >= 1 && a.advertIntSec <= 255, `advert interval ${a.advertIntSec} s is not 1..255`);
    check(a.authData.length === AUTH_DATA_LEN, `authentication data is ${a.authData.length} bytes, not 8`);
    b[4] = a.authType;
    b[5] = a.advertIntSec;
    b.set(a.authData, length - AUTH_DATA_LEN);
  } else {
    check(Number.isInteger(a.advertIntCs) && a.advertIntCs >= 1 && a.advertIntCs <= 0x0fff, `advert interval ${a.advertIntCs} cs is not 1..4095`);
    // RFC 5798 §5.2.6: the 4 reserved bits MUST be zero.
    b[4] = a.advertIntCs >> 8;
    b[5] = a.advertIntCs & 0xff;
  }
  a.addrs.forEach((x, i) => writeAddr(b, HEADER_LEN + i * addrLen(af), x));
  // v2 sums the whole message, authentication data included (keepalived vrrp_build_vrrp_v2); v3 has none.
  const pseudo = a.version === 3 ? pseudoHeaderSum(ends.src, ends.dst, length) : 0;
  const sum = finish(sumWords(b, 0, length, pseudo));
  b[6] = sum >> 8;
  b[7] = sum & 0xff;
  return b;
}

/** PASS authentication data: the password's bytes, cut at 8 and zero-padded (keepalived vrrp_parser.c auth_pass). */
export function passAuthData(password: string): Uint8Array {
  const out = new Uint8Array(AUTH_DATA_LEN);
  out.set(new TextEncoder().encode(password).subarray(0, AUTH_DATA_LEN));
  return out;
}
