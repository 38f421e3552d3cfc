import type { SchedDest } from '../sched/types.js';

/** What the director hands the connection table: size, clock origin, and its hooks into the service table. */
export interface ConnTableOptions {
  /** Most entries (connections and templates, both families) held at once. */
  readonly capacity: number;
  /** IPv4 rows allocated up front (default min(capacity, 4096)); more are added by doubling. */
  readonly initialCapacity?: number;
  /** IPv6 rows allocated up front (default min(capacity, 1024)). */
  readonly initialCapacityV6?: number;
  /** The wheel's origin: the caller's monotonic ms at construction. */
  readonly now: number;
  /** Resolves a stored dest id; undefined once the dest is gone (its accounting is then dropped). */
  readonly resolveDest: (id: number) => SchedDest | undefined;
  /** After a dest's counters or overload flag changed (the director routes it to Scheduler.countersChanged). */
  readonly onDestChange: (dest: SchedDest) => void;
  /** Before an entry is dropped by expiry or eviction (not by remove()); must not call back into the table. */
  readonly onDrop?: (ref: number, reason: 'expired' | 'evicted') => void;
  /** Hash seed: pass a random value (the kernel's ip_vs_conn_rnd) so clients cannot aim collisions. */
  readonly seed?: number;
  /** sysctl secure_tcp: use tcp_states_dos. */
  readonly secureTcp?: boolean;
  /** Kernels before 4.8: only ESTABLISHED counts as active (see tcp-states.ts). */
  readonly onlyEstablishedActive?: boolean;
  /** sysctl expire_quiescent_template: a template whose dest has weight 0 is invalidated on lookup. */
  readonly expireQuiescentTemplate?: boolean;
  /** Seconds a connection stays in TIME_WAIT (tcp_timeouts default 120; see TimeoutTable.setTimeWait). */
  readonly tcpTimeWait?: number;
  /** Wheel entries an eviction may look at before it refuses (default 64). */
  readonly evictScan?: number;
  /**
   * Whether a connection entry may be evicted at capacity (templates follow their own rule). Default: any.
   * A data plane passes false for entries whose relay is still open, so a flood of new clients cannot push
   * established ones out (issue 11) unless its operator opted in.
   */
  readonly mayEvict?: (ref: number) => boolean;
}

export interface ConnStats {
  inserts: number;
  /** Dropped by remove(). */
  removals: number;
  expirations: number;
  /** Dropped to make room for a new entry at capacity. */
  evictions: number;
  /** New entries refused at capacity (no evictable entry found within evictScan). */
  refusals: number;
  /** Templates found with an unavailable dest and unhashed (ip_vs_check_template). */
  templatesInvalidated: number;
  /** Template expiries put off 60 s because connections still depend on them. */
  templatesDeferred: number;
}
