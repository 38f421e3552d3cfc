import { BOTH_PORT, HTTP_PORT, MISC_PORT, PHASES, RS_ADDR, TCP_PORT, VIP1, VIP2 } from './health-diff-conf.js';
import type { Asserts } from './scenario.js';

/** The host-side half of the health differential (health-diff.ts): what the guest returns and what must hold. */

export interface FifoLine {
  /** The phase (index into PHASES) the line arrived in; PHASES.length once the daemon was being stopped. */
  readonly phase: number;
  readonly line: string;
}

export interface DaemonRun {
  readonly daemon: 'keepalived' | 'lvsd';
  readonly fifo: readonly FifoLine[];
  /** `ipvsadm -Sn` at the end of each phase. */
  readonly tables: readonly string[];
}

export interface HealthDiffData {
  readonly phases: readonly string[];
  readonly keepalived: DaemonRun;
  readonly lvsd: DaemonRun;
}

/**
 * Each real server's (and service's) transitions as `STATE@phase`, keyed by the line without its state: the
 * differential compares these, so lines about different servers may interleave differently between the daemons
 * (their timers are not in lockstep) but each server's own sequence, and the phase of each step, may not.
 */
export function transitions(run: DaemonRun): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  // Lines written while the daemon stops are left out: keepalived kills a MISC_CHECK script still running with its
  // process group and reports that as a failure, which is shutdown, not the failure script.
  for (const { phase, line } of run.fifo.filter((f) => f.phase < PHASES.length)) {
    const m = /^(.*) (UP|DOWN)$/.exec(line);
    const key = m ? m[1]! : line;
    (out[key] ??= []).push(m ? `${m[2]!}@${phase}` : `?@${phase}`);
  }
  return out;
}

const RS = (port: number, vip: string): string => `RS [${RS_ADDR}]:tcp:${port} [${vip}]:tcp:80`;

/**
 * What keepalived itself does with PHASES (pinned, so a run where neither daemon saw a failure cannot pass as
 * "identical"): the TCP server goes down, up, down; HTTP 503 and back; the script's exit 1 and back; the
 * two-checker server follows whichever is down; both services lose quorum and regain it.
 */
export const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  [RS(TCP_PORT, VIP1)]: ['DOWN@1', 'UP@3', 'DOWN@4'],
  [RS(HTTP_PORT, VIP1)]: ['DOWN@1', 'UP@3'],
  [RS(MISC_PORT, VIP1)]: ['DOWN@2', 'UP@3'],
  [RS(BOTH_PORT, VIP1)]: ['DOWN@1', 'UP@3', 'DOWN@4'],
  [RS(HTTP_PORT, VIP2)]: ['DOWN@1', 'UP@3'],
  [RS(MISC_PORT, VIP2)]: ['DOWN@2', 'UP@3'],
  // Each service is announced UP when its checkers start (ipwrapper.c update_quorum_state(vs, init) takes the
  // "gained" branch); the first loses quorum (default 1) with its last server, the second (quorum 2) with its first.
  [`VS [${VIP1}]:tcp:80`]: ['UP@0', 'DOWN@2', 'UP@3'],
  [`VS [${VIP2}]:tcp:80`]: ['UP@0', 'DOWN@1', 'UP@3'],
};

export function checkHealthDiff(t: Asserts, d: HealthDiffData): void {
  const k = transitions(d.keepalived);
  const l = transitions(d.lvsd);
  t.comment(`keepalived's lvs_notify_fifo:\n${d.keepalived.fifo.map((f) => `  ${f.phase} ${f.line}`).join('\n')}`);
  t.comment(`lvsd's lvs_notify_fifo:\n${d.lvsd.fifo.map((f) => `  ${f.phase} ${f.line}`).join('\n')}`);
  t.same(k, EXPECTED, 'keepalived made the transitions the failure script is built to cause');
  t.same(l, k, "lvsd's UP/DOWN sequence per real server and service, phase by phase, is keepalived's");
  d.phases.forEach((name, i) => {
    t.equal(d.lvsd.tables[i], d.keepalived.tables[i], `the IPVS table at the end of phase ${i} (${name}) is keepalived's`);
  });
}
