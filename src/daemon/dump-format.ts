/**
 * The SIGUSR1 data dump and SIGUSR2 stats dump in keepalived's layout: `------< Section >------` headers
 * and one ` Key = value` line per item, indented per level (core/global_data.c dump_global_data,
 * check/check_data.c dump_data_check, vrrp/vrrp_data.c dump_data_vrrp). lvsd writes what it has: the
 * configuration it runs, the health of each checked real server, and the table as the data plane reports it.
 */
import type { KeepalivedConfig, RealServer, VirtualServer } from '../model/config.js';
import type { TableSnapshot } from '../model/table.js';
import type { ServiceId } from '../model/service.js';
import { formatRs, formatVs } from '../health/format.js';
import type { VirtualServerSnapshot } from '../health/snapshot.js';

const KIND: Readonly<Record<string, string>> = { masq: 'NAT', route: 'DR', tunnel: 'TUN', local: 'LOCAL' };
const onOff = (b: boolean): string => (b ? 'ON' : 'OFF');

function globals(cfg: KeepalivedConfig): string[] {
  const g = cfg.global;
  return [
    '------< Global definitions >------',
    ` Router ID = ${g.routerId ?? '(none)'}`,
    ...(g.smtpServer ? [` Smtp server = ${g.smtpServer.host}`, ` Smtp server port = ${g.smtpServer.port}`] : []),
    ...(g.smtpHeloName ? [` Smtp HELO name = ${g.smtpHeloName}`] : []),
    ` Smtp server connection timeout = ${g.smtpConnectTimeout}`,
    ` Email notification from = ${g.notificationEmailFrom ?? '(none)'}`,
    ...g.notificationEmail.map((e) => ` Email notification = ${e}`),
    ` LVS flush = ${g.lvsFlush ? 'true' : 'false'}`,
    ` LVS flush on stop = ${g.lvsFlushOnStop}`,
    ` Default interface = ${g.defaultInterface}`,
  ];
}

function realServer(vs: VirtualServer, rs: RealServer): string[] {
  return [
    `   ------< Real server ${formatRs(vs, rs)} >------`,
    `   Weight = ${rs.weight}`,
    `   Forwarding method = ${KIND[rs.forwarding.method] ?? rs.forwarding.method}`,
    `   Alpha is ${onOff(rs.alpha)}`,
    `   Inhibit on failure is ${onOff(rs.inhibitOnFailure)}`,
    `   SMTP alert is ${onOff(rs.smtpAlert)}`,
    ...rs.checkers.map((c) => `   Checker = ${c.type}`),
  ];
}

function virtualServer(vs: VirtualServer): string[] {
  return [
    ` ------< Virtual server ${formatVs(vs)} >------`,
    `   delay_loop = ${vs.delayLoop}, lb_algo = ${vs.scheduler}`,
    `   persistence timeout = ${vs.persistenceTimeout}`,
    `   protocol = ${vs.protocol ?? 'none'}`,
    `   alpha is ${onOff(vs.alpha)}, omega is ${onOff(vs.omega)}`,
    `   quorum = ${vs.quorum}, hysteresis = ${vs.hysteresis}`,
    `   lb_kind = ${KIND[vs.forwarding.method] ?? vs.forwarding.method}`,
    ...vs.realServers.flatMap((rs) => realServer(vs, rs)),
  ];
}

function vrrp(cfg: KeepalivedConfig): string[] {
  if (cfg.vrrpInstances.length === 0) return [];
  return ['------< VRRP Topology >------', ...cfg.vrrpInstances.flatMap((i) => [
    ` VRRP Instance = ${i.name}`,
    `   Interface = ${i.interface ?? '(default)'}`,
    `   Virtual Router ID = ${i.virtualRouterId}`,
    `   Priority = ${i.priority}`,
  ])];
}

const serviceName = (id: ServiceId): string =>
  id.kind === 'fwmark' ? `FWM ${id.fwmark}` : `[${id.addr.text}]:${id.protocol}:${id.port}`;

function table(t: TableSnapshot): string[] {
  return [
    '------< LVS table (as the data plane reports it) >------',
    ` Version = ${t.version}, size = ${t.size}`,
    ...t.services.flatMap((s) => [
      ` Service ${serviceName(s.spec.id)} scheduler ${s.spec.scheduler}`,
      ...s.dests.map((d) => `   -> [${d.spec.addr.text}]:${d.spec.port} ${KIND[d.spec.fwd] ?? d.spec.fwd} weight ${d.spec.weight} active ${d.activeConns} inactive ${d.inactConns}`),
    ]),
  ];
}

function health(h: readonly VirtualServerSnapshot[]): string[] {
  return ['------< Health checks >------', ...h.flatMap((v) => [
    ` Virtual server ${v.name}: quorum ${v.quorumUp ? 'UP' : 'DOWN'}, live weight ${v.liveWeight} of quorum ${v.quorum}`,
    ...v.realServers.map((r) => `   Real server ${r.name}: ${r.alive ? 'UP' : 'DOWN'}, weight ${r.weight}, checkers ${r.checkers.map((c) => `${c.type} ${c.up ? 'up' : 'down'}`).join(', ')}`),
  ])];
}

/** SIGUSR1: /tmp/keepalived.data. */
export function dataDump(cfg: KeepalivedConfig | null, snap: TableSnapshot | null, checks: readonly VirtualServerSnapshot[] | null): string {
  const lines = cfg ? [...globals(cfg), ...vrrp(cfg), '------< LVS Topology >------', ...cfg.virtualServers.flatMap(virtualServer)]
    : ['------< Global definitions >------', ' (lvsd runs without a configuration file)'];
  return `${[...lines, ...(checks ? health(checks) : []), ...(snap ? table(snap) : [])].join('\n')}\n`;
}

/** SIGUSR2: /tmp/keepalived.stats, the counters per service and real server (keepalived: per VRRP instance). */
export function statsDump(snap: TableSnapshot | null): string {
  if (!snap) return 'LVS statistics: the data plane did not answer\n';
  const c = (s: { conns: number; inPkts: number; outPkts: number; inBytes: number; outBytes: number }, pad: string): string[] => [
    `${pad}Connections: ${s.conns}`, `${pad}Packets: in ${s.inPkts}, out ${s.outPkts}`, `${pad}Bytes: in ${s.inBytes}, out ${s.outBytes}`,
  ];
  return `${snap.services.flatMap((s) => [
    `Virtual Server: ${serviceName(s.spec.id)}`, ...c(s.stats, '  '),
    ...s.dests.flatMap((d) => [`  Real Server: [${d.spec.addr.text}]:${d.spec.port}`, ...c(d.stats, '    ')]),
  ]).join('\n')}\n`;
}
