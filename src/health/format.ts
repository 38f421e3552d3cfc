/**
 * How keepalived names virtual and real servers in its log lines and notify FIFO lines
 * (check/check_data.c format_vs/format_rs, lib/utils.c inet_sockaddrtotrio, check/ipwrapper.c notify_fifo_*).
 */
import type { RealServer, VirtualServer } from '../model/config.js';

/** inet_sockaddrtotrio: the protocol of the virtual server; a fwmark service has none (check_data.c sets 0). */
function proto(vs: VirtualServer): string {
  return vs.protocol ?? 'none';
}

/** format_vs: `[addr]:proto:port`, `FWM n`, or `[group]:port` (a group's own address holds no port: 0). */
export function formatVs(vs: VirtualServer): string {
  const k = vs.key;
  if (k.kind === 'group') return `[${k.group}]:0`;
  if (k.kind === 'fwmark') return `FWM ${k.fwmark}`;
  return `[${k.addr.text}]:${proto(vs)}:${k.port}`;
}

/** format_rs: the real server's trio with the virtual server's protocol. */
export function formatRs(vs: VirtualServer, rs: { readonly addr: RealServer['addr']; readonly port: number }): string {
  return `[${rs.addr.text}]:${proto(vs)}:${rs.port}`;
}

/** notify_fifo_rs: `RS <rs> <vs> UP|DOWN` (the daemon adds the newline when it writes). */
export function fifoRsLine(vs: VirtualServer, rs: RealServer, up: boolean): string {
  return `RS ${formatRs(vs, rs)} ${formatVs(vs)} ${up ? 'UP' : 'DOWN'}`;
}

/** notify_fifo_vs: `VS <vs> UP|DOWN`, UP while the service has quorum. */
export function fifoVsLine(vs: VirtualServer, quorumUp: boolean): string {
  return `VS ${formatVs(vs)} ${quorumUp ? 'UP' : 'DOWN'}`;
}
