/**
 * The HealthStatusSource of a HealthRunner, for whoever wires health checking into the daemon: the
 * runner's records as the status port names them. Services of a virtual_server_group are left out (one
 * group is many table services; their real servers show under each member in the table instead).
 * Transitions come from the records' last-change times, so "recent transitions" lists each real server's
 * and quorum's latest change; checker transition counts grow when a read sees a new change time (two
 * flaps between reads count once).
 */
import type { VirtualServer } from '../model/config.js';
import { liveWeight, type VsRun } from '../health/service-health.js';
import { formatRs, formatVs } from '../health/format.js';
import type { ProbeResult } from '../ports/prober.js';
import type { HealthStatusSource, ServiceHealth, ServiceRef, Transition } from '../ports/status.js';

export interface HealthRecords {
  services(): readonly VsRun[];
}

function ref(vs: VirtualServer): ServiceRef | null {
  const k = vs.key;
  if (k.kind === 'group') return null;
  if (k.kind === 'fwmark') return { proto: 'FWM', address: '', port: 0, fwmark: k.fwmark };
  return { proto: vs.protocol === 'udp' ? 'UDP' : vs.protocol === 'sctp' ? 'SCTP' : 'TCP', address: k.addr.text, port: k.port, fwmark: 0 };
}

function describe(r: ProbeResult | null): string | null {
  if (!r) return null;
  return r.up ? `up: ${r.detail}` : `${r.reason}: ${r.detail}`;
}

/** `toWall` turns the runner's Clock time (ms) into wall-clock ms since the epoch. */
export function healthSource(runner: HealthRecords, toWall: (clockMs: number) => number): HealthStatusSource {
  const seen = new WeakMap<object, { at: number | null; count: number }>();
  const transitionsOf = (c: object, at: number | null): number => {
    const s = seen.get(c) ?? { at: null, count: 0 };
    if (at !== null && at !== s.at) s.count++;
    s.at = at;
    seen.set(c, s);
    return s.count;
  };
  const wall = (ms: number | null): number | null => (ms === null ? null : toWall(ms));
  return {
    services: () => runner.services().flatMap((v): ServiceHealth[] => {
      const service = ref(v.vs);
      if (!service) return [];
      return [{
        service, quorumUp: v.quorumUp, quorum: v.vs.quorum, liveWeight: liveWeight(v),
        realServers: v.rss.map((r) => ({
          address: r.rs.addr.text, port: r.rs.port, alive: r.alive, weight: r.weight, configuredWeight: r.rs.weight, lastTransition: wall(r.lastChange),
          checkers: r.checkers.map((c) => ({
            type: c.checker.type, up: c.file ? c.file.up : (c.state?.up ?? true), lastResult: describe(c.last),
            lastTransition: wall(c.lastChange), transitions: transitionsOf(c, c.lastChange),
          })),
        })),
      }];
    }),
    transitions: () => {
      const out: Transition[] = [];
      for (const v of runner.services()) {
        for (const r of v.rss) {
          if (r.lastChange === null) continue;
          out.push({ at: toWall(r.lastChange), kind: 'realserver', subject: `${formatRs(v.vs, r.rs)} of ${formatVs(v.vs)}`, from: r.alive ? 'down' : 'up', to: r.alive ? 'up' : 'down' });
        }
      }
      return out.sort((a, b) => a.at - b.at);
    },
  };
}
