/**
 * keepalived.conf text for tests and benchmarks that run lvsd on a generated table (the kernel tier's
 * lvsd scenario, bench/ipvs-load.ts). Only what those need: IPv4 TCP/UDP virtual servers without health
 * checkers (keepalived counts such a real server as up), and the two global_defs lines lvsd applies to
 * the kernel besides the table.
 */

export type ConfLbKind = 'NAT' | 'DR' | 'TUN';

export interface ConfService {
  addr: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
  scheduler: string;
  kind: ConfLbKind;
  servers: ReadonlyArray<{ addr: string; port: number; weight: number }>;
}

export interface ConfGlobals {
  /** lvs_timeouts, seconds. */
  timeouts?: { tcp: number; tcpfin: number; udp: number };
  /** lvs_sync_daemon INTERFACE id N (no VRRP instance: both the master and the backup daemon run). */
  syncDaemon?: { ifname: string; id: number };
}

export function keepalivedConf(services: readonly ConfService[], g: ConfGlobals = {}): string {
  const out: string[] = ['global_defs {'];
  if (g.timeouts) out.push(`  lvs_timeouts tcp ${g.timeouts.tcp} tcpfin ${g.timeouts.tcpfin} udp ${g.timeouts.udp}`);
  if (g.syncDaemon) out.push(`  lvs_sync_daemon ${g.syncDaemon.ifname} id ${g.syncDaemon.id}`);
  out.push('}');
  for (const s of services) {
    out.push(`virtual_server ${s.addr} ${s.port} {`, `  lb_algo ${s.scheduler}`, `  lb_kind ${s.kind}`, `  protocol ${s.protocol ?? 'TCP'}`);
    for (const r of s.servers) out.push(`  real_server ${r.addr} ${r.port} {`, `    weight ${r.weight}`, '  }');
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

/**
 * What `ipvsadm -Sn` (1.31) prints for these services, real servers in the order given (ipvsadm sorts them,
 * so give them sorted). It names the tunnel type of every tunnel real server, the default ipip included.
 */
export function expectedSave(services: readonly ConfService[]): string {
  const flag: Record<ConfLbKind, string> = { NAT: '-m', DR: '-g', TUN: '-i' };
  const suffix: Record<ConfLbKind, string> = { NAT: '', DR: '', TUN: ' --tun-type ipip' };
  const lines: string[] = [];
  for (const s of services) {
    const proto = s.protocol === 'UDP' ? '-u' : '-t';
    lines.push(`-A ${proto} ${s.addr}:${s.port} -s ${s.scheduler}`);
    for (const r of s.servers) lines.push(`-a ${proto} ${s.addr}:${s.port} -r ${r.addr}:${r.port} ${flag[s.kind]} -w ${r.weight}${suffix[s.kind]}`);
  }
  return `${lines.join('\n')}\n`;
}
