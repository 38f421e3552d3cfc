import type { Checker, FileCheck } from '../model/config-checkers.js';

/** Checkers that run on their own timer; FILE_CHECK instead follows a tracked file. */
export type TimedChecker = Exclude<Checker, FileCheck>;

/** Why one attempt failed: the word that goes into the transition's log line. */
export type ProbeFailure =
  | 'refused'
  | 'timeout'
  | 'reset'
  | 'unreachable'
  | 'status'
  | 'digest'
  | 'regex'
  | 'exit'
  | 'protocol'
  | 'tls'
  | 'error';

export type ProbeResult =
  | {
      readonly up: true;
      readonly detail: string;
      /** misc_dynamic: the weight the script asked for (exit code − 2); absent = keep the configured weight. */
      readonly weight?: number;
    }
  | { readonly up: false; readonly reason: ProbeFailure; readonly detail: string };

/**
 * One attempt of one checker against its real server, bounded by the checker's own timeouts.
 * It never rejects: every failure, hostile peer included, is a result. Aborting the signal ends the attempt
 * early (reload, shutdown) and releases whatever it holds.
 */
export interface Prober {
  probe(check: TimedChecker, signal: AbortSignal): Promise<ProbeResult>;
}
