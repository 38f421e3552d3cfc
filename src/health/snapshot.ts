/**
 * The health state as data for the control socket and status pages: every service's quorum, every real
 * server's state and weight, and every checker's state, last result and time of its last transition.
 * Times are on the Clock's monotonic scale (ms); the daemon converts them to wall time if it shows them.
 */
import type { ProbeResult } from '../ports/prober.js';
import { formatRs, formatVs } from './format.js';
import { liveWeight, type CheckerRun, type RsRun, type VsRun } from './service-health.js';

export interface CheckerSnapshot {
  readonly type: string;
  /** Where the checker is declared. */
  readonly file: string;
  readonly line: number;
  readonly up: boolean;
  /** False until its first attempt was judged (FILE_CHECK: always true, its file is read at start). */
  readonly hasRun: boolean;
  /** Failed attempts in the current retry run. */
  readonly retries: number;
  /** What it adds to or asks of the weight: misc_dynamic's asked weight, FILE_CHECK's value × weight; null = none. */
  readonly weight: number | null;
  readonly last: ProbeResult | null;
  readonly lastChange: number | null;
}

export interface RealServerSnapshot {
  readonly name: string;
  readonly alive: boolean;
  readonly configuredWeight: number;
  readonly weight: number;
  readonly lastChange: number | null;
  readonly checkers: readonly CheckerSnapshot[];
}

export interface VirtualServerSnapshot {
  readonly name: string;
  readonly quorumUp: boolean;
  readonly liveWeight: number;
  readonly quorum: number;
  readonly hysteresis: number;
  readonly realServers: readonly RealServerSnapshot[];
}

function checker(c: CheckerRun): CheckerSnapshot {
  const base = { type: c.checker.type, file: c.checker.loc.file, line: c.checker.loc.line, last: c.last, lastChange: c.lastChange };
  if (c.file) return { ...base, up: c.file.up, hasRun: true, retries: 0, weight: c.file.weight };
  const s = c.state;
  return { ...base, up: s?.up ?? true, hasRun: s?.hasRun ?? false, retries: s?.retryIt ?? 0, weight: s?.dynamicWeight ?? null };
}

function realServer(r: RsRun): RealServerSnapshot {
  return { name: formatRs(r.vs, r.rs), alive: r.alive, configuredWeight: r.rs.weight, weight: r.weight, lastChange: r.lastChange, checkers: r.checkers.map(checker) };
}

export function healthSnapshot(services: readonly VsRun[]): VirtualServerSnapshot[] {
  return services.map((v) => ({
    name: formatVs(v.vs), quorumUp: v.quorumUp, liveWeight: liveWeight(v), quorum: v.vs.quorum, hysteresis: v.vs.hysteresis,
    realServers: v.rss.map(realServer),
  }));
}
