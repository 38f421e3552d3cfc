import type { DestSpec, ServiceSpec } from './service.js';
import type { Counters, Rates } from './stats.js';

/** IPVS timeouts in seconds, as `ipvsadm --set tcp tcpfin udp` sets them. */
export interface Timeouts {
  readonly tcp: number;
  readonly tcpFin: number;
  readonly udp: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { tcp: 900, tcpFin: 120, udp: 300 };

export interface DestEntry {
  readonly spec: DestSpec;
  readonly activeConns: number;
  readonly inactConns: number;
  readonly persistConns: number;
  readonly stats: Counters;
  readonly rates: Rates;
}

export interface ServiceEntry {
  readonly spec: ServiceSpec;
  readonly dests: readonly DestEntry[];
  readonly stats: Counters;
  readonly rates: Rates;
}

export interface SyncDaemon {
  readonly state: 'master' | 'backup';
  readonly mcastIfn: string;
  readonly syncId: number;
  readonly maxLen?: number;
  readonly group?: string;
  readonly port?: number;
  readonly ttl?: number;
}

/** One connection as `ipvsadm -Lc` lists it. */
export interface ConnEntry {
  /** Kernel protocol name: TCP, UDP, SCTP, IP (fwmark template), ... */
  readonly proto: string;
  /** Seconds until expiry. */
  readonly expires: number;
  readonly state: string;
  readonly client: string;
  readonly virtual: string;
  readonly dest: string;
  readonly peName?: string;
  readonly peData?: string;
}

/** What a data plane reports: the whole observed table, in its own (insertion) order. */
export interface TableSnapshot {
  readonly version: string;
  readonly size: number;
  readonly services: readonly ServiceEntry[];
  readonly timeouts: Timeouts;
  readonly daemons: readonly SyncDaemon[];
}
