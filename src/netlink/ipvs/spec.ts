import type { AttrTable } from '../schema.js';

/**
 * The IPVS generic netlink ABI, declared once (include/uapi/linux/ip_vs.h; handlers and policies in
 * net/netfilter/ipvs/ip_vs_ctl.c). Every attribute: [id, wire type, kernel name]. The codec derives from these
 * tables; nothing else in lvsd knows an IPVS attribute id.
 *
 * Byte-order traps, as the kernel has them:
 * - service, dest and tunnel ports are __be16 (nla_get_be16 / nla_put_be16);
 * - the sync daemon's port is host order (nla_get_u16), its IPv4 group an in_addr (nla_get_in_addr);
 * - NETMASK is one __be32 field (nla_get_be32) that holds a network-order mask for IPv4 and the prefix
 *   length, as a plain host-order u32 in memory, for IPv6 (ip_vs_ctl.c casts it back with (__force __u32));
 *   declared be32 here, map.ts swaps the IPv6 case.
 */
export const IPVS_GENL_NAME = 'IPVS';
export const IPVS_GENL_VERSION = 1;

/** IPVS_STATS_ATTR_*: legacy STATS (u32 counters, u64 bytes); PAD is alignment before u64s. */
export const stats = {
  conns: [1, 'u32', 'IPVS_STATS_ATTR_CONNS'],
  inPkts: [2, 'u32', 'IPVS_STATS_ATTR_INPKTS'],
  outPkts: [3, 'u32', 'IPVS_STATS_ATTR_OUTPKTS'],
  inBytes: [4, 'u64', 'IPVS_STATS_ATTR_INBYTES'],
  outBytes: [5, 'u64', 'IPVS_STATS_ATTR_OUTBYTES'],
  cps: [6, 'u32', 'IPVS_STATS_ATTR_CPS'],
  inPps: [7, 'u32', 'IPVS_STATS_ATTR_INPPS'],
  outPps: [8, 'u32', 'IPVS_STATS_ATTR_OUTPPS'],
  inBps: [9, 'u32', 'IPVS_STATS_ATTR_INBPS'],
  outBps: [10, 'u32', 'IPVS_STATS_ATTR_OUTBPS'],
  pad: [11, 'pad', 'IPVS_STATS_ATTR_PAD'],
} as const satisfies AttrTable;

/** The same ids, every value u64 (ip_vs_genl_fill_stats64). */
export const stats64 = {
  conns: [1, 'u64', 'IPVS_STATS_ATTR_CONNS'],
  inPkts: [2, 'u64', 'IPVS_STATS_ATTR_INPKTS'],
  outPkts: [3, 'u64', 'IPVS_STATS_ATTR_OUTPKTS'],
  inBytes: [4, 'u64', 'IPVS_STATS_ATTR_INBYTES'],
  outBytes: [5, 'u64', 'IPVS_STATS_ATTR_OUTBYTES'],
  cps: [6, 'u64', 'IPVS_STATS_ATTR_CPS'],
  inPps: [7, 'u64', 'IPVS_STATS_ATTR_INPPS'],
  outPps: [8, 'u64', 'IPVS_STATS_ATTR_OUTPPS'],
  inBps: [9, 'u64', 'IPVS_STATS_ATTR_INBPS'],
  outBps: [10, 'u64', 'IPVS_STATS_ATTR_OUTBPS'],
  pad: [11, 'pad', 'IPVS_STATS_ATTR_PAD'],
} as const satisfies AttrTable;

/** IPVS_SVC_ATTR_*, inside IPVS_CMD_ATTR_SERVICE. */
export const service = {
  af: [1, 'u16', 'IPVS_SVC_ATTR_AF'],
  protocol: [2, 'u16', 'IPVS_SVC_ATTR_PROTOCOL'],
  addr: [3, 'binary', 'IPVS_SVC_ATTR_ADDR'], // union nf_inet_addr: 16 bytes, IPv4 in the first 4
  port: [4, 'be16', 'IPVS_SVC_ATTR_PORT'],
  fwmark: [5, 'u32', 'IPVS_SVC_ATTR_FWMARK'],
  schedName: [6, 'string', 'IPVS_SVC_ATTR_SCHED_NAME'],
  flags: [7, 'flags32', 'IPVS_SVC_ATTR_FLAGS'], // struct ip_vs_flags {flags; mask}
  timeout: [8, 'u32', 'IPVS_SVC_ATTR_TIMEOUT'], // persistence, seconds
  netmask: [9, 'be32', 'IPVS_SVC_ATTR_NETMASK'],
  stats: [10, 'nest', 'IPVS_SVC_ATTR_STATS', stats],
  peName: [11, 'string', 'IPVS_SVC_ATTR_PE_NAME'],
  stats64: [12, 'nest', 'IPVS_SVC_ATTR_STATS64', stats64],
} as const satisfies AttrTable;

/**
 * A service as a listing without counters reads it: STATS and STATS64 skipped, not decoded. Their 20 numbers
 * (ten of them bigints) per service are most of what a 10,000-service dump would otherwise keep.
 */
export const serviceWithoutStats = {
  ...service,
  stats: [10, 'skip', 'IPVS_SVC_ATTR_STATS'],
  stats64: [12, 'skip', 'IPVS_SVC_ATTR_STATS64'],
} as const satisfies AttrTable;

/** IPVS_DEST_ATTR_*, inside IPVS_CMD_ATTR_DEST. */
export const dest = {
  addr: [1, 'binary', 'IPVS_DEST_ATTR_ADDR'],
  port: [2, 'be16', 'IPVS_DEST_ATTR_PORT'],
  fwdMethod: [3, 'u32', 'IPVS_DEST_ATTR_FWD_METHOD'],
  weight: [4, 'u32', 'IPVS_DEST_ATTR_WEIGHT'],
  uThresh: [5, 'u32', 'IPVS_DEST_ATTR_U_THRESH'],
  lThresh: [6, 'u32', 'IPVS_DEST_ATTR_L_THRESH'],
  activeConns: [7, 'u32', 'IPVS_DEST_ATTR_ACTIVE_CONNS'],
  inactConns: [8, 'u32', 'IPVS_DEST_ATTR_INACT_CONNS'],
  persistConns: [9, 'u32', 'IPVS_DEST_ATTR_PERSIST_CONNS'],
  stats: [10, 'nest', 'IPVS_DEST_ATTR_STATS', stats],
  addrFamily: [11, 'u16', 'IPVS_DEST_ATTR_ADDR_FAMILY'],
  stats64: [12, 'nest', 'IPVS_DEST_ATTR_STATS64', stats64],
  tunType: [13, 'u8', 'IPVS_DEST_ATTR_TUN_TYPE'], // Linux 5.2
  tunPort: [14, 'be16', 'IPVS_DEST_ATTR_TUN_PORT'],
  tunFlags: [15, 'u16', 'IPVS_DEST_ATTR_TUN_FLAGS'], // Linux 5.3
} as const satisfies AttrTable;

/** IPVS_DAEMON_ATTR_*, inside IPVS_CMD_ATTR_DAEMON. */
export const daemon = {
  state: [1, 'u32', 'IPVS_DAEMON_ATTR_STATE'],
  mcastIfn: [2, 'string', 'IPVS_DAEMON_ATTR_MCAST_IFN'],
  syncId: [3, 'u32', 'IPVS_DAEMON_ATTR_SYNC_ID'],
  syncMaxLen: [4, 'u16', 'IPVS_DAEMON_ATTR_SYNC_MAXLEN'],
  mcastGroup: [5, 'be32', 'IPVS_DAEMON_ATTR_MCAST_GROUP'],
  mcastGroup6: [6, 'binary', 'IPVS_DAEMON_ATTR_MCAST_GROUP6'],
  mcastPort: [7, 'u16', 'IPVS_DAEMON_ATTR_MCAST_PORT'],
  mcastTtl: [8, 'u8', 'IPVS_DAEMON_ATTR_MCAST_TTL'],
} as const satisfies AttrTable;

/** IPVS_CMD_ATTR_*: the top level of every command except the GET_INFO reply. */
export const cmdAttrs = {
  service: [1, 'nest', 'IPVS_CMD_ATTR_SERVICE', service],
  dest: [2, 'nest', 'IPVS_CMD_ATTR_DEST', dest],
  daemon: [3, 'nest', 'IPVS_CMD_ATTR_DAEMON', daemon],
  timeoutTcp: [4, 'u32', 'IPVS_CMD_ATTR_TIMEOUT_TCP'],
  timeoutTcpFin: [5, 'u32', 'IPVS_CMD_ATTR_TIMEOUT_TCP_FIN'],
  timeoutUdp: [6, 'u32', 'IPVS_CMD_ATTR_TIMEOUT_UDP'],
} as const satisfies AttrTable;

/** NEW_SERVICE replies as a listing without counters reads them. */
export const cmdServiceWithoutStats = {
  service: [1, 'nest', 'IPVS_CMD_ATTR_SERVICE', serviceWithoutStats],
} as const satisfies AttrTable;

/** IPVS_INFO_ATTR_*: the top level of the SET_INFO message that answers GET_INFO. */
export const infoAttrs = {
  version: [1, 'u32', 'IPVS_INFO_ATTR_VERSION'],
  connTabSize: [2, 'u32', 'IPVS_INFO_ATTR_CONN_TAB_SIZE'],
} as const satisfies AttrTable;

/**
 * IPVS_CMD_*: id, the attribute table of messages with this command, and how it is asked for: 'do' (one
 * request, ack), 'get' (one request, a data reply), 'dump' (NLM_F_DUMP only: GET_DEST and GET_DAEMON have no
 * doit), or 'reply' (only the kernel sends it).
 */
export const commands = {
  NEW_SERVICE: [1, 'do', cmdAttrs],
  SET_SERVICE: [2, 'do', cmdAttrs],
  DEL_SERVICE: [3, 'do', cmdAttrs],
  GET_SERVICE: [4, 'get', cmdAttrs], // also dumps: the whole table
  NEW_DEST: [5, 'do', cmdAttrs],
  SET_DEST: [6, 'do', cmdAttrs],
  DEL_DEST: [7, 'do', cmdAttrs],
  GET_DEST: [8, 'dump', cmdAttrs], // empty for a service that does not exist
  NEW_DAEMON: [9, 'do', cmdAttrs],
  DEL_DAEMON: [10, 'do', cmdAttrs],
  GET_DAEMON: [11, 'dump', cmdAttrs],
  SET_CONFIG: [12, 'do', cmdAttrs],
  GET_CONFIG: [13, 'get', cmdAttrs], // answered with SET_CONFIG
  SET_INFO: [14, 'reply', infoAttrs],
  GET_INFO: [15, 'get', cmdAttrs], // answered with SET_INFO
  ZERO: [16, 'do', cmdAttrs], // without SERVICE: every counter
  FLUSH: [17, 'do', cmdAttrs],
} as const;

export type IpvsCommand = keyof typeof commands;

/** IP_VS_SVC_F_* (struct ip_vs_flags.flags). HASHED is kernel-internal and comes back in replies. */
export const SVC_F = {
  PERSISTENT: 0x0001,
  HASHED: 0x0002,
  ONEPACKET: 0x0004,
  SCHED1: 0x0008, // sh-fallback / mh-fallback
  SCHED2: 0x0010, // sh-port / mh-port
  SCHED3: 0x0020,
} as const;

/** IP_VS_CONN_F_* forwarding methods (IPVS_DEST_ATTR_FWD_METHOD, masked with IP_VS_CONN_F_FWD_MASK 0x7). */
export const FWD = { masq: 0, local: 1, tunnel: 2, route: 3 } as const;
export const FWD_MASK = 0x7;

/** IP_VS_CONN_F_TUNNEL_TYPE_* */
export const TUN = { ipip: 0, gue: 1, gre: 2 } as const;

/** IP_VS_STATE_* (sync daemon) */
export const DAEMON_STATE = { master: 1, backup: 2 } as const;

/** AF_INET / AF_INET6 as IPVS carries them in SVC_ATTR_AF and DEST_ATTR_ADDR_FAMILY. */
export const AF = { 4: 2, 6: 10 } as const;
