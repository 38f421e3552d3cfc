import { v4Text, v4ToU32, v6Text, v6ToWords, parseIp, type Family, type IpAddr } from '../../model/address.js';
import { IPPROTO, protocolFromNumber } from '../../model/protocol.js';
import type { DestSpec, FwdMethod, ServiceId, ServiceSpec, TunnelType } from '../../model/service.js';
import type { Counters, Rates } from '../../model/stats.js';
import type { SyncDaemon } from '../../model/table.js';
import { HOST_LE, swap32 } from '../bytes.js';
import { NetlinkEncodeError, NetlinkFormatError } from '../errors.js';
import type { DaemonAttrs, DestAttrs, ServiceAttrs, StatsAttrs } from './codec.js';
import { AF, DAEMON_STATE, FWD, FWD_MASK, SVC_F, TUN } from './spec.js';

/**
 * The model (ServiceSpec, DestSpec, SyncDaemon, counters) to and from IPVS attribute objects. Requests are
 * built as ipvsadm 1.31's libipvs builds them: 16-byte addresses, ADDR_FAMILY on every dest, FLAGS with a full
 * mask (so every flag is set or cleared), and tunnel attributes only for tunnel dests, as keepalived does.
 */

function need<T>(v: T | undefined, name: string, where: string): T {
  if (v === undefined) throw new NetlinkFormatError(`${where} lacks ${name}`);
  return v;
}

export function familyFromAf(af: number, where: string): Family {
  if (af === AF[4]) return 4;
  if (af === AF[6]) return 6;
  throw new NetlinkFormatError(`${where}: address family ${af} is neither AF_INET nor AF_INET6`);
}

/** union nf_inet_addr: 16 bytes, IPv4 in the first four. */
export function addrBytes(a: IpAddr): Buffer {
  const b = Buffer.allocUnsafe(16).fill(0); // from the pool: Buffer.alloc makes an ArrayBuffer each time
  if (a.af === 4) b.writeUInt32BE(v4ToU32(a.text), 0);
  else v6ToWords(a.text).forEach((w, i) => b.writeUInt32BE(w, i * 4));
  return b;
}

export function addrFromBytes(b: Buffer, af: Family, where: string): IpAddr {
  const want = af === 4 ? 4 : 16;
  if (b.length < want) throw new NetlinkFormatError(`${where}: ${b.length}-byte address for IPv${af}`);
  if (af === 4) return { af, text: v4Text(b.readUInt32BE(0)) };
  return { af, text: v6Text([0, 4, 8, 12].map((o) => b.readUInt32BE(o))) };
}

/** IPv4: the mask itself (network order on the wire); IPv6: the prefix length as a host-order u32. */
function netmaskToWire(af: Family, netmask: number): number {
  return af === 4 || !HOST_LE ? netmask : swap32(netmask);
}

function netmaskFromWire(af: Family, wire: number): number {
  return af === 4 || !HOST_LE ? wire : swap32(wire);
}

/** The identifying attributes of a service: AF and FWMARK, or AF, PROTOCOL, ADDR and PORT. */
export function serviceIdAttrs(id: ServiceId): ServiceAttrs {
  if (id.kind === 'fwmark') return { af: AF[id.af], fwmark: id.fwmark };
  return { af: AF[id.addr.af], protocol: IPPROTO[id.protocol], addr: addrBytes(id.addr), port: id.port };
}

/** Everything NEW_SERVICE / SET_SERVICE require (ip_vs_ctl.c ip_vs_genl_parse_service, full_entry). */
export function serviceAttrs(s: ServiceSpec): ServiceAttrs {
  const af = s.id.kind === 'addr' ? s.id.addr.af : s.id.af;
  const flags = (s.persistence > 0 ? SVC_F.PERSISTENT : 0) | (s.ops ? SVC_F.ONEPACKET : 0) |
    (s.flags.fallback ? SVC_F.SCHED1 : 0) | (s.flags.port ? SVC_F.SCHED2 : 0) | (s.flags.flag3 ? SVC_F.SCHED3 : 0);
  // Assigned onto the identity object, not spread into a new one: spreading with extra properties is ~10x
  // slower in V8, and a 100,000-op batch builds one of these per op.
  const out = serviceIdAttrs(s.id);
  Object.assign(out, {
    schedName: s.scheduler,
    flags: { flags, mask: 0xffffffff },
    timeout: s.persistence,
    netmask: netmaskToWire(af, s.netmask),
  });
  if (s.pe) out.peName = s.pe;
  return out;
}

export function serviceFromAttrs(a: ServiceAttrs): ServiceSpec {
  const where = 'IPVS service';
  const af = familyFromAf(need(a.af, 'IPVS_SVC_ATTR_AF', where), where);
  let id: ServiceId;
  if (a.fwmark !== undefined && a.fwmark !== 0) {
    id = { kind: 'fwmark', fwmark: a.fwmark, af };
  } else {
    const proto = need(a.protocol, 'IPVS_SVC_ATTR_PROTOCOL', where);
    const protocol = protocolFromNumber(proto);
    if (!protocol) throw new NetlinkFormatError(`${where}: protocol ${proto} is not TCP, UDP or SCTP`);
    const addr = addrFromBytes(need(a.addr, 'IPVS_SVC_ATTR_ADDR', where), af, where);
    id = { kind: 'addr', protocol, addr, port: need(a.port, 'IPVS_SVC_ATTR_PORT', where) };
  }
  const flags = a.flags?.flags ?? 0;
  return {
    id,
    scheduler: a.schedName ?? '',
    flags: { fallback: (flags & SVC_F.SCHED1) !== 0, port: (flags & SVC_F.SCHED2) !== 0, flag3: (flags & SVC_F.SCHED3) !== 0 },
    persistence: flags & SVC_F.PERSISTENT ? a.timeout ?? 0 : 0,
    netmask: netmaskFromWire(af, a.netmask ?? (af === 4 ? 0xffffffff : netmaskToWire(6, 128))),
    ops: (flags & SVC_F.ONEPACKET) !== 0,
    pe: a.peName ?? '',
  };
}

/** The identifying attributes of a dest (DEL_DEST): ADDR_FAMILY, ADDR, PORT. */
export function destIdAttrs(addr: IpAddr, port: number): DestAttrs {
  return { addr: addrBytes(addr), port, addrFamily: AF[addr.af] };
}

/** Everything NEW_DEST / SET_DEST require (ip_vs_ctl.c ip_vs_genl_parse_dest, full_entry). */
export function destAttrs(d: DestSpec): DestAttrs {
  const out: DestAttrs = { // written out, not spread from destIdAttrs: see serviceAttrs
    addr: addrBytes(d.addr),
    port: d.port,
    addrFamily: AF[d.addr.af],
    fwdMethod: FWD[d.fwd],
    weight: d.weight,
    uThresh: d.uThreshold,
    lThresh: d.lThreshold,
  };
  if (d.fwd === 'tunnel') {
    out.tunType = TUN[d.tunType];
    if (d.tunType === 'gue') out.tunPort = d.tunPort;
    if (d.tunType !== 'ipip') out.tunFlags = d.tunFlags;
  }
  return out;
}

function keyOf<T extends Record<string, number>>(table: T, v: number, what: string): keyof T & string {
  const k = Object.keys(table).find((name) => table[name] === v);
  if (k === undefined) throw new NetlinkFormatError(`${what} ${v} is not one lvsd knows (${Object.keys(table).join(', ')})`);
  return k;
}

export interface DestReply {
  readonly spec: DestSpec;
  readonly activeConns: number;
  readonly inactConns: number;
  readonly persistConns: number;
}

/** A dest from a GET_DEST dump; its family is ADDR_FAMILY when sent, else the service's. */
export function destFromAttrs(a: DestAttrs, serviceAf: Family): DestReply {
  const where = 'IPVS dest';
  const af = a.addrFamily !== undefined ? familyFromAf(a.addrFamily, where) : serviceAf;
  const spec: DestSpec = {
    addr: addrFromBytes(need(a.addr, 'IPVS_DEST_ATTR_ADDR', where), af, where),
    port: need(a.port, 'IPVS_DEST_ATTR_PORT', where),
    weight: a.weight ?? 0,
    fwd: keyOf(FWD, (a.fwdMethod ?? 0) & FWD_MASK, 'IPVS dest: forwarding method') as FwdMethod,
    tunType: keyOf(TUN, a.tunType ?? 0, 'IPVS dest: tunnel type') as TunnelType,
    tunPort: a.tunPort ?? 0,
    tunFlags: a.tunFlags ?? 0,
    uThreshold: a.uThresh ?? 0,
    lThreshold: a.lThresh ?? 0,
  };
  return { spec, activeConns: a.activeConns ?? 0, inactConns: a.inactConns ?? 0, persistConns: a.persistConns ?? 0 };
}

/** Counters and rates, preferring STATS64 (full width) over the legacy STATS nest. */
export function statsFromAttrs(a: { stats?: StatsAttrs; stats64?: StatsAttrs }): { stats: Counters; rates: Rates } {
  const s = a.stats64 ?? a.stats ?? {};
  const n = (v: number | bigint | undefined): number => (v === undefined ? 0 : Number(v));
  return {
    stats: { conns: n(s.conns), inPkts: n(s.inPkts), outPkts: n(s.outPkts), inBytes: n(s.inBytes), outBytes: n(s.outBytes) },
    rates: { cps: n(s.cps), inPps: n(s.inPps), outPps: n(s.outPps), inBps: n(s.inBps), outBps: n(s.outBps) },
  };
}

/** NEW_DAEMON (ip_vs_ctl.c ip_vs_genl_new_daemon): STATE, MCAST_IFN, SYNC_ID required, the rest optional. */
export function daemonAttrs(d: SyncDaemon): DaemonAttrs {
  const out: DaemonAttrs = { state: DAEMON_STATE[d.state], mcastIfn: d.mcastIfn, syncId: d.syncId };
  if (d.maxLen !== undefined) out.syncMaxLen = d.maxLen;
  if (d.group !== undefined) {
    const g = parseIp(d.group);
    if (!g) throw new NetlinkEncodeError(`sync daemon group ${d.group} is not an IP address`);
    if (g.af === 4) out.mcastGroup = v4ToU32(g.text);
    else out.mcastGroup6 = addrBytes(g);
  }
  if (d.port !== undefined) out.mcastPort = d.port;
  if (d.ttl !== undefined) out.mcastTtl = d.ttl;
  return out;
}

export function daemonFromAttrs(a: DaemonAttrs): SyncDaemon {
  const where = 'IPVS daemon';
  const state = keyOf(DAEMON_STATE, need(a.state, 'IPVS_DAEMON_ATTR_STATE', where), 'IPVS daemon: state') as SyncDaemon['state'];
  const group = a.mcastGroup6 !== undefined ? addrFromBytes(a.mcastGroup6, 6, where).text
    : a.mcastGroup !== undefined ? v4Text(a.mcastGroup) : undefined;
  return {
    state,
    mcastIfn: a.mcastIfn ?? '',
    syncId: a.syncId ?? 0,
    ...(a.syncMaxLen !== undefined ? { maxLen: a.syncMaxLen } : {}),
    ...(group !== undefined ? { group } : {}),
    ...(a.mcastPort !== undefined ? { port: a.mcastPort } : {}),
    ...(a.mcastTtl !== undefined ? { ttl: a.mcastTtl } : {}),
  };
}
