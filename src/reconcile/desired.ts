import type { KeepalivedConfig, VirtualServer, Forwarding } from '../model/config.js';
import type { ServiceId, ServiceSpec, DestSpec } from '../model/service.js';
import { initialHealth, type HealthView } from '../health/view.js';
import type { DesiredService, DesiredTable } from './desired-table.js';
import { runAll, runSliced, type Pause, type Steps } from '../ports/pause.js';

const TUN_FLAGS = { nocsum: 0, csum: 1, remcsum: 2 } as const;

/**
 * The table keepalived's checker process would program for this configuration and health:
 * live real servers with their effective weight; failed ones removed, or kept at weight 0 with
 * inhibit_on_failure; while the service has lost quorum and has a sorry_server, the sorry server in place of
 * the live real servers (check/ipwrapper.c update_quorum_state, perform_quorum_state; ipvs_cmd turns a removal
 * of an inhibit_on_failure server into weight 0), and with sorry_server_inhibit the sorry server kept at
 * weight 0 while not needed (init_service_vs).
 */
export function desiredTable(cfg: KeepalivedConfig, health: HealthView = initialHealth): DesiredTable {
  return runAll(desiredSteps(cfg, health));
}

/** desiredTable in slices: the event loop gets a turn every SLICE_UNITS real servers (issue 11). */
export function desiredTableSliced(cfg: KeepalivedConfig, health: HealthView, pause: Pause): Promise<DesiredTable> {
  return runSliced(desiredSteps(cfg, health), pause);
}

/** desiredTable's work, yielding one unit per real server and service. */
function* desiredSteps(cfg: KeepalivedConfig, health: HealthView): Steps<DesiredTable> {
  const services: DesiredService[] = [];
  for (const vs of cfg.virtualServers) {
    const dests = yield* desiredDests(vs, health);
    for (const id of serviceIds(vs, cfg)) {
      services.push({ spec: serviceSpec(vs, id), dests });
      yield 1;
    }
  }
  return { services };
}

function* desiredDests(vs: VirtualServer, health: HealthView): Steps<DestSpec[]> {
  const dests: DestSpec[] = [];
  const s = vs.sorryServer;
  const sorryActive = s !== null && !health.quorumUp(vs);
  for (const rs of vs.realServers) {
    const h = health.realServer(vs, rs);
    const weight = h.alive && !sorryActive ? h.weight : rs.inhibitOnFailure ? 0 : null;
    if (weight !== null) dests.push(destSpec(rs.addr, rs.port, weight, rs.forwarding, rs.uthreshold, rs.lthreshold));
    yield 1;
  }
  if (s && (sorryActive || s.inhibit) && !dests.some((d) => d.addr.text === s.addr.text && d.port === s.port)) {
    dests.push(destSpec(s.addr, s.port, sorryActive ? 1 : 0, s.forwarding, 0, 0));
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
