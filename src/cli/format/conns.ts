/**
 * `-L -c` (list_conn/print_conn) and the small listings `--timeout` (list_timeout) and `--daemon`
 * (list_daemon).
 *
 * ipvsadm reads /proc/net/ip_vs_conn and re-parses each line; lvsadm gets ConnEntry records from the data
 * plane, so the quirks of that round trip (256-byte line splitting) do not arise. Addresses are re-printed
 * in inet_ntop form; without -n ports are named from the built-in table.
 */
import { parseIp } from '../../model/address.js';
import { protocolFromNumber } from '../../model/protocol.js';
import type { ConnEntry, SyncDaemon, Timeouts } from '../../model/table.js';
import type { Format } from '../args/entry.js';
import { addrPortName } from './names.js';
import { left } from './printf.js';

export function listConnections(conns: readonly ConnEntry[], f: Format): string {
  const head = f.persistentConn
    ? `pro expire ${left('state', 11)} ${left('source', 18)} ${left('virtual', 18)} ${left('destination', 18)} ${left('pe name', 16)} pe_data\n`
    : `pro expire ${left('state', 11)} ${left('source', 18)} ${left('virtual', 18)} destination\n`;
  return `IPVS connection entries\n${head}${conns.map((c) => connLine(c, f)).join('')}`;
}

const PROTO_NUMBER: Readonly<Record<string, number>> = { TCP: 6, UDP: 17, SCTP: 132 };

function connLine(c: ConnEntry, f: Format): string {
  const proto = protocolFromNumber(PROTO_NUMBER[c.proto] ?? 0);
  const name = (s: string): string => endpoint(s, proto, f.numeric);
  const expires = Math.max(0, Math.trunc(c.expires));
  const expire = `${String(Math.trunc(expires / 60)).padStart(2, '0')}:${String(expires % 60).padStart(2, '0')}`;
  const start = `${left(c.proto, 3)} ${left(expire, 6)} ${left(c.state, 11)} ${left(name(c.client), 18)} ${left(name(c.virtual), 18)}`;
  // print_conn's persistence format: note dest gets 16 columns and pe name 18, the header's widths swapped
  if (f.persistentConn && c.peName !== undefined && c.peData !== undefined) {
    return `${start} ${left(name(c.dest), 16)} ${left(c.peName, 18)} ${c.peData}\n`;
  }
  return `${start} ${name(c.dest)}\n`;
}

/** `a.b.c.d:port` or `[v6]:port` re-printed canonically; anything else is shown as given. */
function endpoint(s: string, proto: ReturnType<typeof protocolFromNumber>, numeric: boolean): string {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(s);
  const addr = m ? parseIp(m[1]!) : null;
  return addr ? addrPortName(addr, Number(m![2]), proto, numeric) : s;
}

export function listTimeout(t: Timeouts): string {
  return `Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpFin} ${t.udp}\n`;
}

/** The kernel reports the master daemon before the backup one. */
export function listDaemons(daemons: readonly SyncDaemon[]): string {
  const ordered = [...daemons.filter((d) => d.state === 'master'), ...daemons.filter((d) => d.state === 'backup')];
  return ordered.map((d) => {
    let line = `${d.state} sync daemon (mcast=${d.mcastIfn}, syncid=${d.syncId}`;
    if (d.maxLen) line += `, maxlen=${d.maxLen}`;
    if (d.group !== undefined) line += `, group=${d.group}`;
    if (d.port) line += `, port=${d.port}`;
    if (d.ttl) line += `, ttl=${d.ttl}`;
    return `${line})\n`;
  }).join('');
}
