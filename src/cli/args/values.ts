/**
 * ipvsadm's value parsers: parse_service, parse_netmask, parse_fwmark, parse_timeout, parse_sched_flags,
 * parse_tun_type, with their exact acceptance rules and error messages.
 *
 * Host names are not resolved (ipvsadm calls gethostbyname): lvsadm does no DNS, so `-t name:80` is an
 * illegal address. Port names come from the built-in table in ../ports.ts.
 */
import type { IpAddr } from '../../model/address.js';
import { protocolFromNumber } from '../../model/protocol.js';
import type { SchedFlags } from '../../model/service.js';
import { portByName } from '../ports.js';
import { fail } from '../errors.js';
import { allDigits, inetAton, inetAtonAddr, inetPton6, stringToNumber, strtolWhole } from './clib.js';

/** IPVS_SVC_PERSISTENT_TIMEOUT: what a bare -p means. */
export const DEFAULT_PERSISTENCE = 360;
/** MAX_TIMEOUT: 31 days. */
export const MAX_TIMEOUT = 86400 * 31;

export interface ParsedService {
  readonly addr: IpAddr;
  /** null when the argument had no port (ipvsadm's parse == SERVICE_ADDR only). */
  readonly port: number | null;
}

/**
 * parse_service(): `addr`, `addr:port`, `[v6]:port` or a bare v6 address; the port a number or a service
 * name for `protocol`. Returns null where ipvsadm returns SERVICE_NONE.
 */
export function parseService(buf: string, protocol: number): ParsedService | null {
  if (allDigits(buf)) return null;
  let host = buf;
  let portText: string | null = null;
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0 || host[close + 1] !== ':') return null;
    portText = host.slice(close + 2);
    host = host.slice(1, close);
  }
  const v6 = inetPton6(host);
  let addr: IpAddr | null = v6;
  if (!v6) {
    // ipvsadm looks for the port again inside what it has left; for "[1.2.3.4]:80" that finds none
    const colon = host.lastIndexOf(':');
    portText = colon < 0 ? null : host.slice(colon + 1);
    if (colon >= 0) host = host.slice(0, colon);
    addr = inetAtonAddr(host);
    if (!addr) return null;
  }
  if (portText === null) return { addr: addr!, port: null };
  const port = stringToNumber(portText, 0, 65535) ?? portByName(portText, protocolFromNumber(protocol));
  return port === null ? null : { addr: addr!, port };
}

/** parse_netmask(): a dotted (inet_aton) mask as a host-order u32, or null. */
export function parseNetmask(buf: string): number | null {
  return inetAton(buf);
}

/** parse_fwmark(): 1..UINT_MAX. */
export function parseFwmark(buf: string): number {
  const n = strtolWhole(buf);
  if (n === null || n <= 0 || n > 0xffffffff) throw fail(2, `invalid fwmark value \`${buf}' specified`);
  return n;
}

/** parse_timeout(): a missing value is the default persistence timeout. */
export function parseTimeout(buf: string | null, min: number, max: number): number {
  if (buf === null) return DEFAULT_PERSISTENCE;
  const n = stringToNumber(buf, min, max);
  if (n === null) throw fail(2, `invalid timeout value \`${buf}' specified`);
  return n;
}

const FLAG_BITS: Readonly<Record<string, { bit: keyof SchedFlags; sched: string | null }>> = {
  'flag-1': { bit: 'fallback', sched: null },
  'flag-2': { bit: 'port', sched: null },
  'flag-3': { bit: 'flag3', sched: null },
  'sh-fallback': { bit: 'fallback', sched: 'sh' },
  'sh-port': { bit: 'port', sched: 'sh' },
  'mh-fallback': { bit: 'fallback', sched: 'mh' },
  'mh-port': { bit: 'port', sched: 'mh' },
};

/** parse_sched_flags(): comma-separated; the sh- and mh- flags only with that scheduler (default wlc). */
export function parseSchedFlags(sched: string, arg: string): SchedFlags {
  const name = sched || 'wlc';
  const flags = { fallback: false, port: false, flag3: false };
  const words = arg.split(',').filter((w) => w !== '');
  // strtok() finds no word in ",,": ipvsadm then compares NULL; report it as an empty flag instead of crashing
  for (const w of words.length ? words : ['']) {
    const f = Object.hasOwn(FLAG_BITS, w) ? FLAG_BITS[w]! : null;
    if (!f) throw fail(2, `invalid scheduler flag \`${w}'`);
    flags[f.bit] = true;
    if (f.sched !== null && f.sched !== name) throw fail(2, `incompatible scheduler flag \`${w}'`);
  }
  return flags;
}

/** parse_tun_type(): ipip 0, gue 1, gre 2, else null. */
export function parseTunType(name: string): number | null {
  const i = ['ipip', 'gue', 'gre'].indexOf(name);
  return i < 0 ? null : i;
}
