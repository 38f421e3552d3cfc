/**
 * Real-server and virtual-server health from their checkers' states, and the events each change brings
 * (keepalived check/ipwrapper.c perform_svr_state, update_svr_wgt, update_quorum_state, do_rs_notifies,
 * do_vs_notifies). The runner owns these records and calls here after every change.
 */
import type { Checker, RealServer, VirtualServer } from '../model/config.js';
import type { TimerHandle } from '../ports/clock.js';
import type { ProbeResult } from '../ports/prober.js';
import type { CheckerState } from './checker-state.js';
import type { HealthEvent } from './events.js';
import type { FileVerdict } from './checkers/file.js';
import { fifoRsLine, fifoVsLine, formatRs, formatVs } from './format.js';
import { stepQuorum } from './quorum.js';
import { realWeight } from './view.js';

export interface CheckerRun {
  /** checkerIdentity, computed when a reload first needs it. */
  id: string | null;
  readonly checker: Checker;
  /** Timed checkers: their state; FILE_CHECK: its verdict for the file's current value. */
  state: CheckerState | null;
  file: FileVerdict | null;
  last: ProbeResult | null;
  lastChange: number | null;
  /** The records it belongs to now (a reload moves a kept checker into the new ones). */
  owner: { vs: VsRun; rs: RsRun } | null;
  /** Timed checkers: the next attempt's timer, or the attempt in flight. */
  timer: TimerHandle | null;
  abort: AbortController | null;
}

export interface RsRun {
  readonly key: string;
  readonly vs: VirtualServer;
  readonly rs: RealServer;
  readonly checkers: CheckerRun[];
  alive: boolean;
  /** The effective weight as programmed (real_weight of the sum). */
  weight: number;
  lastChange: number | null;
}

export interface VsRun {
  readonly key: string;
  readonly vs: VirtualServer;
  readonly rss: RsRun[];
  /** The same real servers by key: lookups stay O(1) for services with thousands of them. */
  readonly byKey: Map<string, RsRun>;
  quorumUp: boolean;
}

function checkerUp(c: CheckerRun): boolean {
  return c.file ? c.file.up : (c.state?.up ?? true);
}

/** num_failed_checkers == 0: a real server is alive while every one of its checkers is up. */
export function computeAlive(r: RsRun): boolean {
  return r.checkers.every(checkerUp);
}

/**
 * effective_weight: the configured weight, replaced by each misc_dynamic checker's asked weight (cur_weight =
 * exit − 2 − iweight) and moved by each FILE_CHECK's value × weight, then clamped as IPVS takes it.
 */
export function computeWeight(r: RsRun): number {
  let w = r.rs.weight;
  for (const c of r.checkers) {
    if (c.file) w += c.file.weight;
    else if (c.state?.dynamicWeight !== undefined && c.state.dynamicWeight !== null) w += c.state.dynamicWeight - r.rs.weight;
  }
  return realWeight(w);
}

/** weigh_live_realservers. */
export function liveWeight(v: VsRun): number {
  return v.rss.reduce((sum, r) => sum + (r.alive ? r.weight : 0), 0);
}

function names(r: RsRun): Record<string, string> {
  return { vs: formatVs(r.vs), rs: formatRs(r.vs, r.rs) };
}

/** do_rs_notifies: notify_up/notify_down, then the FIFO line. */
export function rsNotifies(r: RsRun, up: boolean, stopping: boolean, out: HealthEvent[]): void {
  const script = up ? r.rs.notifyUp : r.rs.notifyDown;
  if (script) out.push({ kind: 'script', role: up ? 'notify_up' : 'notify_down', script, about: formatRs(r.vs, r.rs), stopping });
  out.push({ kind: 'fifo', line: fifoRsLine(r.vs, r.rs, up) });
  // keepalived mails a real server's transition (SMTP_MSG_RS), not the shutdown that takes it down.
  if (!stopping) out.push({ kind: 'rs-transition', vs: r.vs, rs: r.rs, up });
}

/** do_vs_notifies: quorum_up/quorum_down, then the FIFO line. */
export function vsNotifies(v: VsRun, stopping: boolean, out: HealthEvent[]): void {
  const script = v.quorumUp ? v.vs.quorumUp : v.vs.quorumDown;
  if (script) out.push({ kind: 'script', role: v.quorumUp ? 'quorum_up' : 'quorum_down', script, about: formatVs(v.vs), stopping });
  out.push({ kind: 'fifo', line: fifoVsLine(v.vs, v.quorumUp) });
}

/**
 * perform_svr_state / update_svr_wgt for one real server after its checkers changed. `confirmDown`: the first
 * attempt of an alpha checker confirmed the down state it started in, which keepalived notifies too
 * (update_svr_checker_state). Returns whether what the table reads changed.
 */
export function settleRs(v: VsRun, r: RsRun, now: number, confirmDown: boolean, out: HealthEvent[]): boolean {
  const alive = computeAlive(r);
  const weight = computeWeight(r);
  const changed = alive !== r.alive || weight !== r.weight;
  if (weight !== r.weight) {
    out.push({ kind: 'log', level: 'info', msg: `Changing weight from ${r.weight} to ${weight} for ${alive ? '' : 'in'}active service ${formatRs(r.vs, r.rs)} of VS ${formatVs(r.vs)}`, fields: { ...names(r), weight } });
    r.weight = weight;
  }
  if (alive !== r.alive) {
    const inhibit = r.rs.inhibitOnFailure;
    const verb = alive ? (inhibit ? 'Enabling' : 'Adding') : inhibit ? 'Disabling' : 'Removing';
    const prep = inhibit ? 'of' : alive ? 'to' : 'from';
    out.push({ kind: 'log', level: alive ? 'info' : 'warn', msg: `${verb} service ${formatRs(r.vs, r.rs)} ${prep} VS ${formatVs(r.vs)}`, fields: { ...names(r), state: alive ? 'up' : 'down' } });
    r.alive = alive;
    r.lastChange = now;
    rsNotifies(r, alive, false, out);
  } else if (confirmDown && !alive) rsNotifies(r, false, false, out);
  return settleQuorum(v, false, out) || changed;
}

/** update_quorum_state: gains or loses quorum, swaps the sorry server, runs quorum_up/quorum_down. */
export function settleQuorum(v: VsRun, init: boolean, out: HealthEvent[]): boolean {
  const live = liveWeight(v);
  const up = stepQuorum(v.quorumUp, live, v.vs.quorum, v.vs.hysteresis);
  const sorry = v.vs.sorryServer;
  // At start a service already without quorum still needs its sorry server, and keepalived notifies it.
  if (up === v.quorumUp && !(init && !up && sorry)) return false;
  const threshold = v.vs.quorum + (v.quorumUp ? -1 : 1) * v.vs.hysteresis;
  v.quorumUp = up;
  const what = up ? 'Gained quorum' : init ? 'Starting with quorum down' : 'Lost quorum';
  const fields = { vs: formatVs(v.vs), liveWeight: live, quorum: v.vs.quorum, hysteresis: v.vs.hysteresis };
  const figures = `${what} ${v.vs.quorum}${up ? '+' : '-'}${v.vs.hysteresis}=${threshold} ${up ? '<=' : '>'} ${live}`;
  out.push({ kind: 'log', level: up ? 'info' : 'warn', msg: `${figures} for VS ${formatVs(v.vs)}`, fields });
  if (sorry) {
    const verb = up ? (sorry.inhibit ? 'Disabling' : 'Removing') : sorry.inhibit ? 'Enabling' : 'Adding';
    out.push({ kind: 'log', level: 'info', msg: `${verb} sorry server ${formatRs(v.vs, sorry)} ${up ? 'from' : 'to'} VS ${formatVs(v.vs)}`, fields });
  }
  vsNotifies(v, false, out);
  out.push({ kind: 'vs-transition', vs: v.vs, up, figures });
  return true;
}
