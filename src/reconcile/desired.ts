import type { KeepalivedConfig, VirtualServer, RealServer, Forwarding } from '../model/config.js';
import type { ServiceId, ServiceSpec, DestSpec } from '../model/service.js';
import type { DesiredService, DesiredTable } from './desired-table.js';

/** Whether a real server currently passes its checks; the health layer answers, by identity. */
export type HealthOf = (vs: VirtualServer, rs: RealServer) => boolean;

/**
 * keepalived's state before any check has run: a real server is up unless it has checkers and `alpha`
 * (check_data.c: alpha starts real servers down until their first success).
 */
export const initialHealth: HealthOf = (vs, rs) => rs.checkers.length === 0 || !(rs.alpha || vs.alpha);

const TUN_FLAGS = { nocsum: 0, csum: 1, remcsum: 2 } as const;

/**
 * The table keepalived's checker process would program for this configuration and health:
 * live real servers with their weight; failed ones removed, or kept at weight 0 with inhibit_on_failure;
 * the sorry server while the live weight is below quorum (check_ipvs.c / check_daemon.c semantics).
 */
export function desiredTable(cfg: KeepalivedConfig, health: HealthOf = initialHealth): DesiredTable {
  const services: DesiredService[] = [];
  for (const vs of cfg.virtualServers) {
    const dests = desiredDests(vs, health);
    for (const id of serviceIds(vs, cfg)) services.push({ spec: serviceSpec(vs, id), dests });
  }
  return { services };
}

function desiredDests(vs: VirtualServer, health: HealthOf): DestSpec[] {
  const dests: DestSpec[] = [];
  let liveWeight = 0;
  for (const rs of vs.realServers) {
    const up = health(vs, rs);
    if (up) liveWeight += rs.weight;
    if (up) dests.push(destSpec(rs.addr, rs.port, rs.weight, rs.forwarding, rs.uthreshold, rs.lthreshold));
    else if (rs.inhibitOnFailure) dests.push(destSpec(rs.addr, rs.port, 0, rs.forwarding, rs.uthreshold, rs.lthreshold));
  }
  const s = vs.sorryServer;
  if (s && liveWeight < vs.quorum && !dests.some((d) => d.addr.text === s.addr.text && d.port === s.port)) {
    dests.push(destSpec(s.addr, s.port, 1, s.forwarding, 0, 0));
  }
  return dests;
}

/** A virtual_server names one service, or through a group, one per address (range member) and fwmark. */
function serviceIds(vs: VirtualServer, cfg: KeepalivedConfig): ServiceId[] {
  const protocol = vs.protocol ?? 'tcp';
  const k = vs.key;
  if (k.kind === 'addr') return [{ kind: 'addr', protocol, addr: k.addr, port: k.port }];
  if (k.kind === 'fwmark') return [{ kind: 'fwmark', fwmark: k.fwmark, af: vs.family }];
  const group = cfg.virtualServerGroups.find((g) => g.name === k.group);
  if (!group) return [];
  const ids: ServiceId[] = [];
  for (const r of group.ranges) for (const addr of r.addrs) ids.push({ kind: 'addr', protocol, addr, port: r.port });
  for (const f of group.fwmarks) ids.push({ kind: 'fwmark', fwmark: f.fwmark, af: f.family ?? vs.family });
  return ids;
}

function serviceSpec(vs: VirtualServer, id: ServiceId): ServiceSpec {
  return {
    id,
    scheduler: vs.scheduler,
    flags: vs.schedFlags,
    persistence: vs.persistenceTimeout,
    netmask: vs.persistenceGranularity,
    ops: vs.ops,
    pe: vs.persistenceEngine ?? '',
  };
}

function destSpec(addr: DestSpec['addr'], port: number, weight: number, f: Forwarding, u: number, l: number): DestSpec {
  return {
    addr,
    port,
    weight,
    fwd: f.method,
    tunType: f.tunType,
    tunPort: f.tunPort,
    tunFlags: TUN_FLAGS[f.tunCsum],
    uThreshold: u,
    lThreshold: l,
  };
}
