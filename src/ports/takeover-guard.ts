import type { VrrpInstance } from '../model/config-vrrp.js';

/** Why a takeover was held back, for counters and logs (src/vrrp/witness-watch.ts HoldReason). */
export interface GuardHold {
  readonly allow: false;
  readonly reason: string;
  readonly detail: string;
  /** Ask again after this long; null = after another Master_Down_Interval. */
  readonly retryInMs: number | null;
}

export type GuardVerdict = { readonly allow: true } | GuardHold;

/**
 * Consulted by VrrpNode before a BACKUP whose Master_Down_Timer fired promotes itself, for instances with an
 * lvsd_quorum_witness (split-brain defence: the witness, then the fence command). The answer may take a
 * while (the fence command runs); adverts that arrive meanwhile still count, and a stale answer is dropped.
 */
export interface TakeoverGuard {
  approve(instance: VrrpInstance, priority: number): Promise<GuardVerdict>;
}
