/**
 * The quorum-witness decision, pure and on the caller's clock: should a BACKUP whose Master_Down_Timer fired
 * promote itself, given what its peers last wrote in their slots? The classic two-node answer (qdiskd,
 * Kimberlite): a node that cannot hear its peer on the network but sees it alive on the shared disk is the one
 * cut off, and must not take the service.
 *
 * Liveness is the peer's sequence number moving, timed on this director's own clock from the first read that
 * saw each value: no comparison of two hosts' clocks. A slot first read now counts as fresh until `timeout`
 * passes without a change, so a director that starts beside a dead peer's stale MASTER record waits at most
 * `timeout` before it may promote — the conservative side.
 */
import type { DecodedSlot, WitnessState } from './witness-record.js';

export type HoldReason =
  /** A peer slot is fresh and MASTER: the adverts stopped, the peer did not (a partition). */
  | 'peer-master'
  /** A peer slot is fresh, BACKUP, and outranks this director: let it promote first, then defer to it. */
  | 'peer-preferred'
  /** The witness could not be read: without it a partition cannot be told from a dead peer. */
  | 'witness-unreadable'
  /** The fence command failed or timed out. */
  | 'fence-failed';

export type WitnessVerdict =
  | { readonly allow: true }
  /** retryAt: when, on the caller's clock, the answer may change (the blocking peer's slot goes stale). */
  | { readonly allow: false; readonly reason: HoldReason; readonly detail: string; readonly retryAt: number };

interface PeerSeen {
  readonly seq: number;
  readonly state: WitnessState;
  readonly priority: number;
  /** When this director first read this sequence number. */
  readonly since: number;
}

export class WitnessWatch {
  private readonly peers = new Map<number, PeerSeen>();
  private readonly problems = new Map<number, string>();

  constructor(private readonly o: { readonly ownSlot: number; readonly timeoutMs: number; readonly intervalMs: number }) {}

  /** One read of a peer's slot at `now`; `null` when the read itself failed (`error` says why). */
  observe(slot: number, d: DecodedSlot | null, now: number, error = 'read failed'): void {
    if (d === null || (!d.ok && d.why === 'corrupt')) {
      this.problems.set(slot, d === null ? error : d.detail);
      return;
    }
    this.problems.delete(slot);
    if (!d.ok) return; // empty: the peer never wrote, so there is nothing it could be running
    const was = this.peers.get(slot);
    const r = d.record;
    this.peers.set(slot, { seq: r.seq, state: r.state, priority: r.priority, since: was && was.seq === r.seq ? was.since : now });
  }

  /** The verdict for this director at `priority`, after `observe` of every peer slot. */
  verdict(now: number, priority: number): WitnessVerdict {
    const unreadable = [...this.problems].map(([slot, why]) => `slot ${slot}: ${why}`);
    if (unreadable.length) return { allow: false, reason: 'witness-unreadable', detail: unreadable.join('; '), retryAt: now + this.o.intervalMs };
    let hold: WitnessVerdict = { allow: true };
    for (const [slot, p] of this.peers) {
      const staleAt = p.since + this.o.timeoutMs;
      if (staleAt <= now) continue;
      const outranks = p.priority > priority || (p.priority === priority && slot < this.o.ownSlot);
      const reason = p.state === 'MASTER' ? 'peer-master' : p.state === 'BACKUP' && outranks ? 'peer-preferred' : null;
      if (reason === null) continue;
      // Hold until the latest blocking slot could go stale.
      if (hold.allow || staleAt > hold.retryAt) {
        hold = { allow: false, reason, detail: `slot ${slot} is ${p.state} at priority ${p.priority}, written ${Math.round(now - p.since)} ms ago or less`, retryAt: staleAt };
      }
    }
    return hold;
  }
}
