/**
 * `lvsadm --health`: what a running lvsd's checkers say, for people: per virtual server its quorum, per real
 * server UP/DOWN with its weight (live / configured), and per checker its state, retries, last result and when
 * it last changed. ipvsadm has no --health, so no ipvsadm command line changes meaning. The control socket's
 * `health` request (docs/CONTROL-PROTOCOL.md) carries the same as JSON for programs.
 */
import type { CheckerSnapshot, RealServerSnapshot, VirtualServerSnapshot } from '../health/snapshot.js';
import { BackendError, BackendUnavailable } from './backend.js';

export const HEALTH_OPTION = '--health';

export interface HealthSource {
  health(): Promise<readonly VirtualServerSnapshot[]>;
}

const when = (ms: number | null): string => (ms === null ? 'not since start' : new Date(ms).toISOString());

function checkerLine(c: CheckerSnapshot): string {
  const state = !c.hasRun ? 'not run yet' : c.up ? 'up' : 'down';
  const retries = c.retries > 0 ? ` retry ${c.retries}` : '';
  const weight = c.weight === null ? '' : ` weight ${c.weight}`;
  const last = c.last === null ? 'none' : c.last.up ? `ok (${c.last.detail})` : `${c.last.reason} (${c.last.detail})`;
  return `      ${c.type} ${c.file}:${c.line}  ${state}${retries}${weight}  last: ${last}  changed: ${when(c.lastChange)}\n`;
}

function realServerLines(r: RealServerSnapshot): string {
  const head = `  -> ${r.name}  ${r.alive ? 'UP' : 'DOWN'}  weight ${r.weight}/${r.configuredWeight}  changed: ${when(r.lastChange)}\n`;
  return head + r.checkers.map(checkerLine).join('');
}

/** The report as lines: one per service, real server and checker. */
export function formatHealth(services: readonly VirtualServerSnapshot[]): string {
  if (services.length === 0) return 'No health checkers are running.\n';
  return services.map((v) => {
    const q = `quorum ${v.quorumUp ? 'up' : 'DOWN'} (live weight ${v.liveWeight}, quorum ${v.quorum}, hysteresis ${v.hysteresis})`;
    return `VS ${v.name}  ${q}\n${v.realServers.map(realServerLines).join('')}`;
  }).join('');
}

/** Runs `lvsadm --health` (args: what followed it); source null = --kernel, which has no checkers. */
export async function listHealth(args: readonly string[], source: HealthSource | null, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (args.length > 0) {
    err(`lvsadm: ${HEALTH_OPTION} takes no other options (got ${args.join(' ')})\n`);
    return 2;
  }
  if (!source) {
    err(`lvsadm: ${HEALTH_OPTION} asks a running lvsd; it cannot be used with --kernel\n`);
    return 2;
  }
  try {
    out(formatHealth(await source.health()));
    return 0;
  } catch (e) {
    if (!(e instanceof BackendUnavailable || e instanceof BackendError)) throw e;
    err(`lvsadm: ${e.message}\n`);
    return e instanceof BackendUnavailable ? 2 : 1;
  }
}
