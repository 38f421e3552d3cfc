import type { Family, IpAddr } from '../../model/address.js';
import { ByteWriter, readU32 } from '../bytes.js';
import { NetlinkEncodeError, NetlinkFormatError } from '../errors.js';
import type { NlMessage } from '../framing.js';
import { ipFromBytes, ipToBytes } from './address-bytes.js';
import { decodeRtnl, type RtnlMessage, type RtnlRequest } from './codec.js';
import { AF_INET, AF_INET6, IFA_F, IFF, INFINITY_LIFE_TIME, NUD, OPERSTATES, RTN_UNICAST, RTPROT_BOOT, RT_TABLE_MAIN } from './spec.js';

/** rtnetlink messages in lvsd's terms, and lvsd's requests as rtnetlink attributes. */

export interface LinkInfo {
  readonly index: number;
  readonly name: string;
  /** aa:bb:cc:dd:ee:ff, or null for links without one (lo has 00:00…, which is kept). */
  readonly mac: string | null;
  readonly mtu: number;
  readonly flags: number;
  /** IFF_UP: the administrator set it up. */
  readonly adminUp: boolean;
  /** IFF_LOWER_UP: the driver reports carrier. */
  readonly lowerUp: boolean;
  /** IFF_RUNNING: up and operational (keepalived IF_ISUP is UP && RUNNING, vrrp_if.h). */
  readonly running: boolean;
  readonly operstate: string;
}

export interface AddressInfo {
  readonly ifindex: number;
  readonly addr: IpAddr;
  readonly prefix: number;
  readonly scope: number;
  /** IFA_FLAGS when the kernel sent it, else ifa_flags. */
  readonly flags: number;
  readonly label: string | null;
  readonly broadcast: IpAddr | null;
  /** The other end of a point-to-point address. */
  readonly peer: IpAddr | null;
  /** Seconds; 'forever' for INFINITY_LIFE_TIME; null when the kernel sent no cache info. */
  readonly preferredLft: number | 'forever' | null;
  readonly validLft: number | 'forever' | null;
}

/** An address to add or delete: `ip addr add ADDR/PREFIX [peer P] [brd B] [label L] [scope S] dev IFINDEX`. */
export interface AddressSpec {
  readonly ifindex: number;
  readonly addr: IpAddr;
  readonly prefix: number;
  readonly scope?: number;
  readonly label?: string | null;
  readonly broadcast?: IpAddr | null;
  readonly peer?: IpAddr | null;
  /** IFA_F_* (NODAD, HOMEADDRESS, MANAGETEMPADDR, NOPREFIXROUTE, MCAUTOJOIN). */
  readonly flags?: number;
  readonly preferredLft?: number | 'forever' | null;
}

export interface NeighbourInfo {
  readonly ifindex: number;
  readonly dst: IpAddr;
  readonly lladdr: string | null;
  /** NUD state as `ip neigh` prints it (REACHABLE, STALE, …); several joined by '|' if several bits are set. */
  readonly state: string;
}

export interface RouteSpec {
  readonly dst: IpAddr;
  readonly prefix: number;
  readonly ifindex?: number;
  readonly gateway?: IpAddr | null;
  readonly prefsrc?: IpAddr | null;
  readonly metric?: number;
  readonly table?: number;
  readonly scope?: number;
}

export const familyOf = (af: Family): number => (af === 4 ? AF_INET : AF_INET6);

export function familyFrom(n: number, where: string): Family {
  if (n === AF_INET) return 4;
  if (n === AF_INET6) return 6;
  throw new NetlinkFormatError(`${where}: address family ${n} is neither AF_INET nor AF_INET6`);
}

export function macText(b: Buffer | undefined): string | null {
  if (!b || b.length === 0) return null;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export function linkFrom(m: NlMessage, what: string): LinkInfo {
  const { header: h, attrs: a } = decodeRtnl('link', m, what);
  return {
    index: h.index,
    name: a.ifname ?? '',
    mac: macText(a.address),
    mtu: a.mtu ?? 0,
    flags: h.flags,
    adminUp: (h.flags & IFF.UP) !== 0,
    lowerUp: (h.flags & IFF.LOWER_UP) !== 0,
    running: (h.flags & IFF.RUNNING) !== 0,
    operstate: OPERSTATES[a.operstate ?? 0] ?? `state ${a.operstate}`,
  };
}

function lifetime(v: number): number | 'forever' {
  return v === INFINITY_LIFE_TIME ? 'forever' : v;
}

export function addressFrom(m: NlMessage, what: string): AddressInfo {
  const { header: h, attrs: a } = decodeRtnl('addr', m, what);
  const af = familyFrom(h.family, what);
  const local = a.local ?? a.address;
  if (!local) throw new NetlinkFormatError(`${what}: address message without IFA_LOCAL or IFA_ADDRESS`);
  const addr = ipFromBytes(local, af, `${what}: IFA_LOCAL`);
  const other = a.local && a.address ? ipFromBytes(a.address, af, `${what}: IFA_ADDRESS`) : null;
  const ci = a.cacheinfo && a.cacheinfo.length >= 8 ? a.cacheinfo : null;
  return {
    ifindex: h.index,
    addr,
    prefix: h.prefixlen,
    scope: h.scope,
    flags: a.flags ?? h.flags,
    label: a.label ?? null,
    broadcast: a.broadcast ? ipFromBytes(a.broadcast, af, `${what}: IFA_BROADCAST`) : null,
    peer: other && other.text !== addr.text ? other : null,
    preferredLft: ci ? lifetime(readU32(ci, 0)) : null,
    validLft: ci ? lifetime(readU32(ci, 4)) : null,
  };
}

export function neighbourFrom(m: NlMessage, what: string): NeighbourInfo | null {
  const { header: h, attrs: a } = decodeRtnl('neigh', m, what);
  if (h.family !== AF_INET && h.family !== AF_INET6) return null; // bridge fdb entries and the like
  if (!a.dst) throw new NetlinkFormatError(`${what}: neighbour without NDA_DST`);
  const bits = Object.keys(NUD).map(Number).filter((b) => b !== 0 && (h.state & b) !== 0);
  return {
    ifindex: h.ifindex,
    dst: ipFromBytes(a.dst, familyFrom(h.family, what), `${what}: NDA_DST`),
    lladdr: macText(a.lladdr),
    state: bits.length ? bits.map((b) => NUD[b]).join('|') : 'NONE',
  };
}

function checkFamily(what: string, addr: IpAddr, other: IpAddr | null | undefined, name: string): void {
  if (other && other.af !== addr.af) throw new NetlinkEncodeError(`${what}: ${name} ${other.text} is not IPv${addr.af} like ${addr.text}`);
}

/** The request of `ip addr add|del` for `s` (iproute2 ip/ipaddress.c ipaddr_modify). */
export function addressRequest(s: AddressSpec, what: string): RtnlRequest<'addr'> {
  const max = s.addr.af === 4 ? 32 : 128;
  if (!Number.isInteger(s.prefix) || s.prefix < 0 || s.prefix > max) throw new NetlinkEncodeError(`${what}: prefix /${s.prefix} is not in 0..${max}`);
  checkFamily(what, s.addr, s.peer, 'peer');
  checkFamily(what, s.addr, s.broadcast, 'broadcast');
  if (s.broadcast && s.addr.af === 6) throw new NetlinkEncodeError(`${what}: IPv6 addresses have no broadcast`);
  const local = ipToBytes(s.addr);
  const flags = s.flags ?? 0;
  const attrs: RtnlMessage<'addr'>['attrs'] = {
    local,
    address: s.peer ? ipToBytes(s.peer) : local,
    ...(s.label ? { label: s.label } : {}),
    ...(s.broadcast ? { broadcast: ipToBytes(s.broadcast) } : {}),
    ...(flags > 0xff ? { flags } : {}),
  };
  if (s.preferredLft !== undefined && s.preferredLft !== null) {
    const p = s.preferredLft;
    if (p !== 'forever' && (!Number.isInteger(p) || p < 0 || p >= INFINITY_LIFE_TIME)) throw new NetlinkEncodeError(`${what}: preferred lifetime ${p} is not a number of seconds`);
    const ci = new ByteWriter(16); // struct ifa_cacheinfo, host order: preferred, valid, cstamp, tstamp
    ci.u32(s.preferredLft === 'forever' ? INFINITY_LIFE_TIME : s.preferredLft);
    ci.u32(INFINITY_LIFE_TIME);
    ci.u32(0);
    ci.u32(0);
    attrs.cacheinfo = ci.finish();
  }
  return {
    header: { family: familyOf(s.addr.af), prefixlen: s.prefix, flags: flags & 0xff, scope: s.scope ?? 0, index: s.ifindex },
    attrs,
  };
}

/** The flags a VIP line asks for (keepalived vrrp_ipaddress.c: home, nodad, mngtmpaddr, noprefixroute, autojoin). */
export function vipFlags(v: { home: boolean; nodad: boolean; mngtmpaddr: boolean; noprefixroute: boolean; autojoin: boolean }): number {
  return (v.home ? IFA_F.HOMEADDRESS : 0) | (v.nodad ? IFA_F.NODAD : 0) | (v.mngtmpaddr ? IFA_F.MANAGETEMPADDR : 0) |
    (v.noprefixroute ? IFA_F.NOPREFIXROUTE : 0) | (v.autojoin ? IFA_F.MCAUTOJOIN : 0);
}

/** rt_scope_t (rtnetlink.h) */
const RT_SCOPE_UNIVERSE = 0;
const RT_SCOPE_LINK = 253;
const RT_SCOPE_NOWHERE = 255;

/**
 * The request of `ip route add|del` for `r` (iproute2 ip/iproute.c iproute_modify): a route added is a boot-
 * protocol unicast route, of link scope when it has no gateway; a delete matches any scope (NOWHERE). Tables
 * above 255 go in RTA_TABLE only (rtm_table holds eight bits).
 */
export function routeRequest(r: RouteSpec, what: string, op: 'add' | 'delete'): RtnlRequest<'route'> {
  const max = r.dst.af === 4 ? 32 : 128;
  if (!Number.isInteger(r.prefix) || r.prefix < 0 || r.prefix > max) throw new NetlinkEncodeError(`${what}: prefix /${r.prefix} is not in 0..${max}`);
  checkFamily(what, r.dst, r.gateway, 'gateway');
  checkFamily(what, r.dst, r.prefsrc, 'source');
  const table = r.table ?? RT_TABLE_MAIN;
  const add = op === 'add';
  return {
    header: {
      family: familyOf(r.dst.af), dstLen: r.prefix, table: table > 255 ? 0 : table,
      protocol: add ? RTPROT_BOOT : 0,
      scope: r.scope ?? (!add ? RT_SCOPE_NOWHERE : r.gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK),
      type: add ? RTN_UNICAST : 0,
    },
    attrs: {
      dst: ipToBytes(r.dst),
      ...(r.ifindex !== undefined ? { oif: r.ifindex } : {}),
      ...(r.gateway ? { gateway: ipToBytes(r.gateway) } : {}),
      ...(r.prefsrc ? { prefsrc: ipToBytes(r.prefsrc) } : {}),
      ...(r.metric !== undefined ? { priority: r.metric } : {}),
      ...(table > 255 ? { table } : {}),
    },
  };
}
