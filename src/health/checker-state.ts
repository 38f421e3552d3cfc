/**
 * One timed checker's state and the pure step after each attempt (keepalived check/check_tcp.c tcp_epilog,
 * check_misc.c misc_check_child_thread — every checker follows the same rule).
 */
import type { ProbeResult } from '../ports/prober.js';

export interface CheckerState {
  /** keepalived checker->is_up: starts true, false with alpha (check_api.c queue_checker). */
  readonly up: boolean;
  /** keepalived checker->has_run: false until the first attempt has been judged. */
  readonly hasRun: boolean;
  /** keepalived checker->retry_it: failed attempts so far in the current retry run. */
  readonly retryIt: number;
  /** misc_dynamic: the weight the last successful exit asked for (exit code − 2); null = the configured weight. */
  readonly dynamicWeight: number | null;
}

/** What the attempt decided, besides the new state. */
export interface CheckerStep {
  readonly state: CheckerState;
  /**
   * 'up'/'down' when the attempt settled the checker's state (a change, or on the first run the state it started
   * in); null while retrying or when nothing changed.
   */
  readonly decided: 'up' | 'down' | null;
  /** Whether the next attempt waits delay_before_retry (a retry) rather than delay_loop. */
  readonly retryNext: boolean;
}

export function initialCheckerState(alpha: boolean): CheckerState {
  return { up: !alpha, hasRun: false, retryIt: 0, dynamicWeight: null };
}

/**
 * tcp_epilog's rule: a success resets the retries and brings the checker up; a failure while up (or before the
 * first run) is retried `retry` times, delay_before_retry apart, and only then takes the checker down; a failure
 * while already down changes nothing. misc_dynamic's weight follows each successful exit and is dropped when the
 * checker goes down (check_misc.c: cur_weight = 0).
 */
export function stepChecker(s: CheckerState, r: ProbeResult, retry: number): CheckerStep {
  if (r.up) {
    // Only a whole number is a weight (misc_dynamic gives 0..253); anything else keeps the configured weight.
    const dynamicWeight = r.weight !== undefined && Number.isSafeInteger(r.weight) ? r.weight : null;
    const decided = !s.up || !s.hasRun ? 'up' : null;
    return { state: { up: true, hasRun: true, retryIt: 0, dynamicWeight }, decided, retryNext: false };
  }
  if ((s.up || !s.hasRun) && s.retryIt >= retry) {
    return { state: { up: false, hasRun: true, retryIt: 0, dynamicWeight: null }, decided: 'down', retryNext: false };
  }
  if (s.up) return { state: { ...s, hasRun: true, retryIt: s.retryIt + 1 }, decided: null, retryNext: true };
  return { state: { ...s, hasRun: true }, decided: null, retryNext: false };
}
