/**
 * How ipvsadm names things in its listings: addrport_to_anyname(), the service name (svc_name in
 * print_service_entry), fwd_name()/fwd_switch(), print_sched_flags(), fwd_tun_info().
 *
 * Without -n ipvsadm reverse-resolves addresses (gethostbyaddr) and names ports (getservbyport). lvsadm does
 * no DNS at all — a listing must not hang on a resolver or leak lookups — so addresses stay numeric in both
 * modes and only ports are named, from the built-in table in ../ports.ts.
 */
import type { IpAddr } from '../../model/address.js';
import type { Protocol } from '../../model/protocol.js';
import type { DestSpec, FwdMethod, ServiceSpec } from '../../model/service.js';
import type { Format } from '../args/entry.js';
import { portName } from '../ports.js';
import { d32 } from './printf.js';

/** addrport_to_anyname(): `a.b.c.d:port` / `[v6]:port`; the port named unless numeric. */
export function addrPortName(addr: IpAddr, port: number, protocol: Protocol | null, numeric: boolean): string {
  const host = addr.af === 6 ? `[${addr.text}]` : addr.text;
  const p = numeric ? null : portName(port, protocol);
  return `${host}:${p ?? port}`;
}

/** The protocol ipvsadm sees on a listed service: fwmark services carry none. */
export function serviceProtocol(spec: ServiceSpec): Protocol | null {
  return spec.id.kind === 'addr' ? spec.id.protocol : null;
}

const PROTO_NAME: Readonly<Record<Protocol, string>> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };
const PROTO_OPTION: Readonly<Record<Protocol, string>> = { tcp: '-t', udp: '-u', sctp: '--sctp-service' };

/**
 * svc_name: `-f 7 [-6]` / `-t addr:port` in rule format; `FWM  7 [IPv6]` / `TCP  addr:port` otherwise, a v4
 * name cut at 33 characters. The fwmark prints with %d, as Debian's ipvsadm 1.31 binary does.
 */
export function serviceName(spec: ServiceSpec, format: Format): string {
  const id = spec.id;
  if (id.kind === 'fwmark') {
    if (format.rule) return `-f ${id.fwmark}${id.af === 6 ? ' -6' : ''}`;
    return `FWM  ${d32(id.fwmark)}${id.af === 6 ? ' IPv6' : ''}`;
  }
  const vname = addrPortName(id.addr, id.port, id.protocol, format.numeric);
  if (format.rule) return `${PROTO_OPTION[id.protocol]} ${vname}`;
  const name = `${PROTO_NAME[id.protocol].padEnd(4)} ${vname}`;
  return id.addr.af === 6 ? name : name.slice(0, 33);
}

/** A real server's name; cut at 28 characters for v4 outside rule format. */
export function destName(dest: DestSpec, service: ServiceSpec, format: Format): string {
  const name = addrPortName(dest.addr, dest.port, serviceProtocol(service), format.numeric);
  return format.rule || dest.addr.af === 6 ? name : name.slice(0, 28);
}

/** print_sched_flags(): names by scheduler, comma-joined; possibly empty. */
export function schedFlagsText(spec: ServiceSpec): string {
  const f = spec.flags;
  const names = spec.scheduler === 'sh' || spec.scheduler === 'mh'
    ? [f.fallback && `${spec.scheduler}-fallback`, f.port && `${spec.scheduler}-port`]
    : [f.fallback && 'flag-1', f.port && 'flag-2', f.flag3 && 'flag-3'];
  return names.filter((n): n is string => typeof n === 'string').join(',');
}

export const anySchedFlag = (spec: ServiceSpec): boolean => spec.flags.fallback || spec.flags.port || spec.flags.flag3;

const FWD_NAME: Readonly<Record<FwdMethod, string>> = { masq: 'Masq', local: 'Local', tunnel: 'Tunnel', route: 'Route' };
const FWD_SWITCH: Readonly<Record<FwdMethod, string>> = { masq: '-m', tunnel: '-i', local: '-g', route: '-g' };

export const fwdName = (f: FwdMethod): string => FWD_NAME[f];
export const fwdSwitch = (f: FwdMethod): string => FWD_SWITCH[f];

/** fwd_tun_info(): the TunnelInfo column, or n/a for a non-tunnel. */
export function tunnelInfo(dest: DestSpec): string {
  if (dest.fwd !== 'tunnel') return 'n/a';
  const flag = ['-c', '+c', 'r+c'][dest.tunFlags] ?? '';
  if (dest.tunType === 'gue') return `gue:${dest.tunPort}:${flag}`.slice(0, 15);
  if (dest.tunType === 'gre') return `gre:${flag}`;
  return 'ipip';
}
