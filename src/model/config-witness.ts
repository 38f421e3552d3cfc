/**
 * lvsd's split-brain defence for a vrrp_instance (an lvsd extension, `lvsd_quorum_witness { … }`; keepalived
 * has no such block and skips it as an unknown keyword). Modelled on the quorum disk of two-node clusters
 * (Red Hat Cluster Suite's qdiskd): each director writes its own slot of a shared file or block device, and a
 * BACKUP whose adverts stopped reads its peers' slots before it promotes itself. See docs/QUORUM-WITNESS.md.
 */
import type { ScriptSpec, SourceLoc } from './config.js';

/** Slots are 512 bytes apart (one sector, written whole on a block device); 64 slots fit in 32 KiB. */
export const WITNESS_SLOT_BYTES = 512;
export const WITNESS_MAX_SLOTS = 64;

export interface QuorumWitness {
  readonly loc: SourceLoc;
  /** The shared file (created when missing) or block device. */
  readonly path: string;
  /** This director's slot, 0..63. */
  readonly slot: number;
  /** The other directors' slots: a fresh MASTER in any of them forbids promotion. */
  readonly peerSlots: readonly number[];
  /** Seconds between writes of the own slot (and reads of the peers'). */
  readonly interval: number;
  /** Seconds: a peer slot whose sequence number has not moved for this long is stale (its writer is gone). */
  readonly timeout: number;
  /** Run before taking over (argv, no shell); a non-zero exit or a timeout forbids the takeover. */
  readonly fence: ScriptSpec | null;
  /** Seconds the fence command may take. */
  readonly fenceTimeout: number;
}
