import type { AttrTable } from '../schema.js';
import type { HeaderDef } from './header.js';

/**
 * The rtnetlink ABI lvsd uses, declared once (include/uapi/linux/rtnetlink.h, if_addr.h, if_link.h,
 * neighbour.h; handlers in net/ipv4/devinet.c, net/ipv6/addrconf.c, net/core/rtnetlink.c, net/core/neighbour.c,
 * net/ipv4/fib_frontend.c). Each message kind is its fixed header and its attribute table; the codec derives
 * from them. Addresses are raw bytes here (4 or 16, network order); client.ts turns them into IpAddr.
 */

export const RTM = {
  NEWLINK: 16, DELLINK: 17, GETLINK: 18,
  NEWADDR: 20, DELADDR: 21, GETADDR: 22,
  NEWROUTE: 24, DELROUTE: 25, GETROUTE: 26,
  NEWNEIGH: 28, DELNEIGH: 29, GETNEIGH: 30,
} as const;

/** Legacy bind-mask groups (RTMGRP_*), enough for the ones below 32. */
export const RTMGRP = { LINK: 0x1, NEIGH: 0x4, IPV4_IFADDR: 0x10, IPV4_ROUTE: 0x40, IPV6_IFADDR: 0x100, IPV6_ROUTE: 0x400 } as const;

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** struct ifaddrmsg */
export const ifaddrmsg = [
  ['family', 'u8'], ['prefixlen', 'u8'], ['flags', 'u8'], ['scope', 'u8'], ['index', 'u32'],
] as const satisfies HeaderDef;

/** IFA_* (if_addr.h). With a peer, LOCAL is our address and ADDRESS the peer's; without, both are ours. */
export const addrAttrs = {
  address: [1, 'binary', 'IFA_ADDRESS'],
  local: [2, 'binary', 'IFA_LOCAL'],
  label: [3, 'string', 'IFA_LABEL'],
  broadcast: [4, 'binary', 'IFA_BROADCAST'],
  anycast: [5, 'binary', 'IFA_ANYCAST'],
  cacheinfo: [6, 'binary', 'IFA_CACHEINFO'], // struct ifa_cacheinfo {prefered, valid, cstamp, tstamp} u32s
  flags: [8, 'u32', 'IFA_FLAGS'], // all flags; ifa_flags holds only the low eight
} as const satisfies AttrTable;

/** IFA_F_* (if_addr.h) */
export const IFA_F = {
  SECONDARY: 0x01, NODAD: 0x02, OPTIMISTIC: 0x04, DADFAILED: 0x08, HOMEADDRESS: 0x10, DEPRECATED: 0x20,
  TENTATIVE: 0x40, PERMANENT: 0x80, MANAGETEMPADDR: 0x100, NOPREFIXROUTE: 0x200, MCAUTOJOIN: 0x400,
} as const;

/** ifa_cacheinfo lifetime meaning "forever" (INFINITY_LIFE_TIME, net/ipv4/devinet.c). */
export const INFINITY_LIFE_TIME = 0xffffffff;

/** struct ifinfomsg */
export const ifinfomsg = [
  ['family', 'u8'], ['pad', 'pad8'], ['type', 'u16'], ['index', 'i32'], ['flags', 'u32'], ['change', 'u32'],
] as const satisfies HeaderDef;

/** IFLA_* (if_link.h), those lvsd reads; the rest are kept as unknown. */
export const linkAttrs = {
  address: [1, 'binary', 'IFLA_ADDRESS'],
  broadcast: [2, 'binary', 'IFLA_BROADCAST'],
  ifname: [3, 'string', 'IFLA_IFNAME'],
  mtu: [4, 'u32', 'IFLA_MTU'],
  link: [5, 'u32', 'IFLA_LINK'],
  master: [10, 'u32', 'IFLA_MASTER'],
  operstate: [16, 'u8', 'IFLA_OPERSTATE'],
  linkmode: [17, 'u8', 'IFLA_LINKMODE'],
  carrier: [33, 'u8', 'IFLA_CARRIER'],
} as const satisfies AttrTable;

/** IFF_* (include/uapi/linux/if.h) */
export const IFF = { UP: 0x1, BROADCAST: 0x2, LOOPBACK: 0x8, RUNNING: 0x40, LOWER_UP: 0x10000 } as const;

/** IF_OPER_* (RFC 2863 ifOperStatus as if_link.h numbers it) */
export const OPERSTATES = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'] as const;

/** struct ndmsg */
export const ndmsg = [
  ['family', 'u8'], ['pad1', 'pad8'], ['pad2', 'pad16'], ['ifindex', 'i32'], ['state', 'u16'], ['flags', 'u8'], ['type', 'u8'],
] as const satisfies HeaderDef;

/** NDA_* (neighbour.h) */
export const neighAttrs = {
  dst: [1, 'binary', 'NDA_DST'],
  lladdr: [2, 'binary', 'NDA_LLADDR'],
  cacheinfo: [3, 'binary', 'NDA_CACHEINFO'],
  probes: [4, 'u32', 'NDA_PROBES'],
} as const satisfies AttrTable;

/** NUD_* states (neighbour.h), as `ip neigh` names them. */
export const NUD: Readonly<Record<number, string>> = {
  0x01: 'INCOMPLETE', 0x02: 'REACHABLE', 0x04: 'STALE', 0x08: 'DELAY', 0x10: 'PROBE', 0x20: 'FAILED',
  0x40: 'NOARP', 0x80: 'PERMANENT', 0x00: 'NONE',
};

/** struct rtmsg */
export const rtmsg = [
  ['family', 'u8'], ['dstLen', 'u8'], ['srcLen', 'u8'], ['tos', 'u8'],
  ['table', 'u8'], ['protocol', 'u8'], ['scope', 'u8'], ['type', 'u8'], ['flags', 'u32'],
] as const satisfies HeaderDef;

/** RTA_* (rtnetlink.h) */
export const routeAttrs = {
  dst: [1, 'binary', 'RTA_DST'],
  src: [2, 'binary', 'RTA_SRC'],
  oif: [4, 'u32', 'RTA_OIF'],
  gateway: [5, 'binary', 'RTA_GATEWAY'],
  priority: [6, 'u32', 'RTA_PRIORITY'],
  prefsrc: [7, 'binary', 'RTA_PREFSRC'],
  table: [15, 'u32', 'RTA_TABLE'],
} as const satisfies AttrTable;

/** Route table, protocol, scope and type numbers (rtnetlink.h). */
export const RT_TABLE_MAIN = 254;
export const RTPROT_BOOT = 3;
export const RTN_UNICAST = 1;

/** Each message kind: its header and attribute table, and the name errors use. */
export const KINDS = {
  addr: { header: ifaddrmsg, attrs: addrAttrs, name: 'ifaddrmsg' },
  link: { header: ifinfomsg, attrs: linkAttrs, name: 'ifinfomsg' },
  neigh: { header: ndmsg, attrs: neighAttrs, name: 'ndmsg' },
  route: { header: rtmsg, attrs: routeAttrs, name: 'rtmsg' },
} as const;

export type Kind = keyof typeof KINDS;
