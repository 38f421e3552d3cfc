/**
 * Read-only views of the daemon's live state for the metrics endpoint, /status.json, the status page and
 * `lvsadm --status`. Health checking and VRRP each provide one when they run; a daemon without them passes
 * none, and every reader shows the table alone. Times are wall-clock milliseconds since the epoch (the
 * provider converts from its Clock), so a page can print them as they are.
 */
import type { TableSnapshot } from '../model/table.js';

/** A service as node_exporter labels it: proto TCP/UDP/SCTP with address and port, or FWM with the mark. */
export interface ServiceRef {
  readonly proto: 'TCP' | 'UDP' | 'SCTP' | 'FWM';
  /** IP text ('' for fwmark services). */
  readonly address: string;
  readonly port: number;
  /** 0 unless proto is FWM. */
  readonly fwmark: number;
}

export interface CheckerStatus {
  /** keepalived's checker keyword: TCP_CHECK, HTTP_GET, MISC_CHECK, ... */
  readonly type: string;
  readonly up: boolean;
  /** One line on the last attempt ("connected", "timeout after 3 s"); null before the first. */
  readonly lastResult: string | null;
  readonly lastTransition: number | null;
  /** Up/down changes since the daemon started. */
  readonly transitions: number;
}

export interface RealServerHealth {
  readonly address: string;
  readonly port: number;
  readonly alive: boolean;
  /** The weight programmed while alive (configured weight as changed by misc_dynamic / FILE_CHECK). */
  readonly weight: number;
  readonly configuredWeight: number;
  readonly lastTransition: number | null;
  readonly checkers: readonly CheckerStatus[];
}

export interface ServiceHealth {
  readonly service: ServiceRef;
  readonly quorumUp: boolean;
  readonly quorum: number;
  readonly liveWeight: number;
  readonly realServers: readonly RealServerHealth[];
}

/** One change an operator wants to see in "recent transitions". */
export interface Transition {
  readonly at: number;
  /** What changed: 'realserver', 'checker', 'quorum' or 'vrrp'. */
  readonly kind: 'realserver' | 'checker' | 'quorum' | 'vrrp';
  /** Which one, as the log names it ("[10.0.0.2]:80 of TCP 10.0.0.1:80", "VI_1"). */
  readonly subject: string;
  readonly from: string;
  readonly to: string;
}

export interface HealthStatusSource {
  services(): readonly ServiceHealth[];
  /** The latest transitions, oldest first, bounded by the provider. */
  transitions(): readonly Transition[];
}

export type VrrpStateName = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

export interface VrrpInstanceStatus {
  readonly name: string;
  readonly interface: string;
  readonly vrid: number;
  readonly state: VrrpStateName;
  /** Effective priority (configured, changed by tracking). */
  readonly priority: number;
  readonly vips: readonly string[];
  readonly advertsReceived: number;
  readonly advertsSent: number;
  readonly becomeMaster: number;
  readonly releaseMaster: number;
  /** Adverts refused, by the validation rule that refused them (src/vrrp/validate.ts Rejection codes). */
  readonly rejections: Readonly<Record<string, number>>;
}

export interface VrrpStatusSource {
  instances(): readonly VrrpInstanceStatus[];
  transitions(): readonly Transition[];
}

/** The userspace connection table's counters (proxy and packet planes); the kernel plane has none. */
export interface ConnTableStatus {
  readonly capacity: number;
  readonly entries: number;
  readonly lookups: number;
  readonly hits: number;
  readonly evictions: number;
}

/** What the daemon itself counts: reconcile work and control requests. */
export interface DaemonCounters {
  readonly reconcilePasses: number;
  readonly reconcileOps: number;
  readonly reconcileFailed: number;
  /** Operations of passes that found the table drifted from the desired one (not the first load or a reload). */
  readonly driftRepairs: number;
  /** Control requests by method and outcome (ok, error, refused). */
  readonly controlRequests: ReadonlyArray<{ readonly method: string; readonly outcome: string; readonly count: number }>;
}

/**
 * Everything the status readers get from the daemon. The table is always there; the rest is absent while
 * the part that provides it does not run (no health checkers or VRRP configured, or the kernel plane,
 * which has no userspace connection table).
 */
export interface StatusSources {
  readonly version: string;
  readonly plane: string;
  /** Wall-clock ms when lvsd started. */
  readonly startedAt: number;
  table(): Promise<TableSnapshot>;
  readonly health?: HealthStatusSource;
  readonly vrrp?: VrrpStatusSource;
  readonly conntable?: () => ConnTableStatus;
  readonly counters?: () => DaemonCounters;
}
