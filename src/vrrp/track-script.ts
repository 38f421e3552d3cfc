/**
 * One vrrp_script's rise/fall counter as a pure reducer, fed each run's result (keepalived
 * vrrp_scheduler.c vrrp_script_child_thread, vrrp_init_script). The counter runs 0..rise+fall−1; the
 * script is up from `rise` on. Before the first result it is unknown (INIT): the first result decides at
 * once. init_fail starts it down. A run that times out or is killed counts as a failure.
 */
import type { VrrpScript } from '../model/config-vrrp.js';
import type { ScriptResult } from '../ports/scripts.js';

export interface ScriptState {
  /** keepalived vscript->result. */
  readonly result: number;
  /** null until the first result (unless init_fail). */
  readonly up: boolean | null;
}

export function initialScript(s: VrrpScript): ScriptState {
  // vrrp_init_script: "one success is enough" in INIT; init_fail starts FAILED at 0.
  return s.initFail ? { result: 0, up: false } : { result: s.rise - 1, up: null };
}

/** A run succeeded when it exited 0 (not killed, not timed out, it started). */
export const succeeded = (r: ScriptResult): boolean => r.exitCode === 0 && !r.timedOut && r.error === null;

/** Applies one result; `changed` tells when the verdict flips (the moment keepalived updates priorities). */
export function scriptResult(s: VrrpScript, st: ScriptState, ok: boolean): { state: ScriptState; changed: boolean } {
  const top = s.rise + s.fall - 1;
  if (ok) {
    if (st.result < s.rise - 1) return { state: { ...st, result: st.result + 1 }, changed: false };
    const changed = st.up !== true;
    return { state: { result: top, up: true }, changed };
  }
  if (st.result > s.rise) return { state: { ...st, result: st.result - 1 }, changed: false };
  const changed = st.up !== false;
  return { state: { result: 0, up: false }, changed };
}

/** keepalived runs each script every `interval` seconds and kills it after `timeout` (or the interval). */
export const scriptIntervalMs = (s: VrrpScript): number => s.interval * 1000;
export const scriptTimeoutMs = (s: VrrpScript): number => (s.timeout || s.interval) * 1000;
