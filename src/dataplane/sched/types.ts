import type { SchedFlags } from '../../model/service.js';
import type { Random } from '../../ports/random.js';

/**
 * A destination as the schedulers see it: the kernel's struct ip_vs_dest reduced to what
 * ip_vs_<name>.c reads. One object per real server, owned by the director's service table and
 * mutated in place by the connection table (counters, overload) and by edits (weight).
 */
export interface SchedDest {
  /** Stable id, unique across the director for the dest's lifetime; the connection table stores it. */
  readonly id: number;
  /** ip_vs_addr_fold(addr): the v4 address, or the XOR of the v6 words; host order u32. */
  readonly addrFold: number;
  readonly port: number;
  weight: number;
  /** Last non-zero weight (IP_VS_DEST last_weight, used by mh). */
  lastWeight: number;
  activeConns: number;
  inactConns: number;
  persistConns: number;
  /** IP_VS_DEST_F_OVERLOAD: set/cleared by the connection table against the thresholds. */
  overloaded: boolean;
  /** IP_VS_DEST_F_AVAILABLE: false once the dest is removed from its service (cached references may outlive it). */
  available: boolean;
  readonly uThreshold: number;
  readonly lThreshold: number;
}

/** The packet fields a scheduler may hash on (host-order numbers). */
export interface SchedPacket {
  readonly srcFold: number;
  readonly srcPort: number;
  readonly dstFold: number;
  /**
   * An IPv6 destination in canonical text: lblc/lblcr key their cache by the whole address, as the
   * kernel compares it (ip_vs_addr_equal); absent for IPv4, whose fold is the address itself.
   */
  readonly dstV6?: string;
  readonly dstPort: number;
  /** Monotonic milliseconds (lblc/lblcr expiry). */
  readonly now: number;
}

export interface Scheduler {
  readonly name: string;
  /**
   * The destination list or a weight changed (kernel init_service / add_dest / del_dest / upd_dest).
   * `dests` is the service's list in insertion order, the order the kernel's loops walk.
   */
  update(dests: readonly SchedDest[]): void;
  /** A destination's counters or overload flag changed (connection bound, unbound, state moved). */
  countersChanged(dest: SchedDest): void;
  /** Picks a destination for a new connection, or null when the kernel would find none. */
  schedule(pkt: SchedPacket): SchedDest | null;
}

export interface SchedContext {
  readonly flags: SchedFlags;
  readonly random: Random;
  /**
   * Monotonic ms when the scheduler was bound to its service (init_service). lblc/lblcr run their
   * garbage-collection timer every 60 s from here; when absent, from the first packet scheduled.
   */
  readonly startedAt?: number;
  /** ms; the lblc_expiration / lblcr_expiration sysctl (default 24 h). */
  readonly localityExpiration?: number;
}

export type SchedulerFactory = (ctx: SchedContext) => Scheduler;

/** The kernel's connection overhead estimate (include/net/ip_vs.h ip_vs_dest_conn_overhead). */
export function connOverhead(d: SchedDest): number {
  return d.activeConns * 256 + d.inactConns;
}
