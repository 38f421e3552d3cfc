/**
 * Checks a received advertisement against one instance, in the order keepalived 2.2.7 does
 * (vrrp/vrrp.c vrrp_check_packet, after vrrp_scheduler.c vrrp_dispatcher_read found the VRID), and
 * names the first rule it breaks. Every reason is a stable code the caller counts.
 */
import type { Family, IpAddr } from '../model/address.js';
import type { VrrpInstance } from '../model/config-vrrp.js';
import { ADVERTISEMENT, AUTH_AH, AUTH_NONE, AUTH_PASS, AUTH_TYPE_CODE, advertOf, checksumOk, decodeAdvert, passAuthData, type Advert } from './codec/advert.js';

export type Rejection =
  /** Shorter than the header or than the addresses it announces. */
  | 'truncated'
  /** Longer than the header accounts for, or not the IPv4 total length. */
  | 'length'
  /** VRID of no instance here (keepalived drops it before any instance sees it). */
  | 'vrid'
  /** Multicast TTL / hop limit not 255 (RFC 5798 §7.1, RFC 3768 §7.1). */
  | 'ttl'
  | 'version'
  /** v2 auth type other than 0, 1, 2. */
  | 'auth-type-invalid'
  /** v2 auth type not the configured one (RFC 3768 §7.1). */
  | 'auth-type-mismatch'
  /** v2 PASS data not the configured password. */
  | 'auth-pass'
  /** v2 advert interval not ours (RFC 3768 §7.1: MUST discard). */
  | 'interval'
  /** Type not ADVERTISEMENT (RFC 5798 §7.1). */
  | 'type'
  /** Address count not ours (RFC 5798 §7.1 MAY; unless skip_check_adv_addr for the same master). */
  | 'address-count'
  | 'checksum'
  /** Multicast received by a unicast instance, or unicast by a multicast one. */
  | 'destination'
  /** An address of ours missing from the advert. */
  | 'address-list'
  /** check_unicast_src: the source is not a unicast_peer. */
  | 'unicast-source'
  /** The TTL is outside the peer's min_ttl..max_ttl. */
  | 'unicast-ttl';

/** One advertisement as it arrived: the VRRP message and what the IP layer said about it. */
export interface Received {
  readonly src: IpAddr;
  readonly dst: IpAddr;
  /** IPv4 TTL / IPv6 hop limit, null when the socket did not report it (keepalived: -1, not checked). */
  readonly ttl: number | null;
  readonly payload: Uint8Array;
}

export type Checked =
  | { readonly ok: true; readonly advert: Advert }
  | { readonly ok: false; readonly reason: Rejection; readonly detail: string };

const isMulticast = (a: IpAddr) => (a.af === 4 ? Number(a.text.split('.')[0]) >> 4 === 14 : a.text.startsWith('ff'));

const reject = (reason: Rejection, detail: string): Checked => ({ ok: false, reason, detail });

/**
 * `checkAddrs` false skips the address checks — keepalived does that in BACKUP with skip_check_adv_addr
 * when the advert comes from the master it already knows (vrrp_state_backup); see shouldCheckAddrs.
 */
export function validateAdvert(p: Received, inst: VrrpInstance, checkAddrs: boolean): Checked {
  const af: Family = inst.family;
  const d = decodeAdvert(p.payload, af);
  if (!d.ok) return reject(d.reason, d.detail);
  const h = d.raw;
  if (h.vrid !== inst.virtualRouterId) return reject('vrid', `VRID ${h.vrid}, ours is ${inst.virtualRouterId}`);
  // RFC 5798 §7.1: MUST verify TTL 255 — keepalived skips it for unicast (min_ttl/max_ttl instead).
  if (!inst.unicast && p.ttl !== null && p.ttl !== 255) return reject('ttl', `TTL/hop limit ${p.ttl}, expected 255`);
  if (h.version !== inst.version) return reject('version', `version ${h.version}, ours is ${inst.version}`);
  if (h.version === 2) {
    if (h.authType !== AUTH_NONE && h.authType !== AUTH_PASS && h.authType !== AUTH_AH) return reject('auth-type-invalid', `auth type ${h.authType}`);
    const want = inst.authentication ? AUTH_TYPE_CODE[inst.authentication.type] : AUTH_NONE;
    if (h.authType !== want) return reject('auth-type-mismatch', `auth type ${h.authType}, expected ${want}`);
    if (inst.authentication?.type === 'PASS' && !sameBytes(h.authData, passAuthData(inst.authentication.password))) {
      return reject('auth-pass', 'wrong password');
    }
    // RFC 3768 §7.1: MUST discard on a different interval ("to prevent concurrent VRID running", keepalived).
    if (h.advertInt !== inst.advertInt) return reject('interval', `advert interval ${h.advertInt} s, ours is ${inst.advertInt} s`);
  }
  if (h.type !== ADVERTISEMENT) return reject('type', `type ${h.type}, expected ${ADVERTISEMENT}`);
  const ours = inst.virtualIpaddresses;
  if (checkAddrs && h.count !== ours.length) return reject('address-count', `${h.count} addresses, ours are ${ours.length}`);
  if (!checksumOk(p.payload, h, p)) return reject('checksum', `bad VRRPv${h.version} checksum 0x${h.checksum.toString(16)}`);
  if (isMulticast(p.dst) === inst.unicast) return reject('destination', `${inst.unicast ? 'multicast' : 'unicast'} advert to ${p.dst.text} for a ${inst.unicast ? 'unicast' : 'multicast'} instance`);
  if (checkAddrs) {
    const sent = new Set(h.addrs.map((a) => a.text));
    const missing = ours.find((v) => !sent.has(v.addr.text));
    if (missing) return reject('address-list', `${missing.addr.text} is not in the advert`);
    if (inst.unicast && inst.checkUnicastSrc) {
      const peer = inst.unicastPeers.find((u) => u.addr.text === p.src.text);
      if (!peer) return reject('unicast-source', `${p.src.text} is not a unicast_peer`);
      if (p.ttl !== null && (p.ttl < peer.minTtl || p.ttl > peer.maxTtl)) {
        return reject('unicast-ttl', `TTL ${p.ttl} from ${p.src.text} is outside ${peer.minTtl}..${peer.maxTtl}`);
      }
    }
  }
  return { ok: true, advert: advertOf(h) };
}

/** keepalived vrrp_state_backup: with skip_check_adv_addr only a new master's adverts have their addresses checked. */
export function shouldCheckAddrs(inst: VrrpInstance, knownMaster: IpAddr | null, src: IpAddr): boolean {
  return !inst.skipCheckAdvAddr || knownMaster === null || knownMaster.text !== src.text;
}

/** Constant time in the length, as keepalived's memcmp_constant_time. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
