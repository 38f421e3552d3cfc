/**
 * ipvsadm's `struct ipvs_command_entry` plus its option bits and format flags: the mutable state its option
 * loop fills in argv order. Keeping the same state (rather than a declarative parse) is what reproduces
 * ipvsadm's order-dependent quirks, e.g. `-r` before `-t` takes the service port as it was then (0).
 */
import type { IpAddr } from '../../model/address.js';
import type { FwdMethod, SchedFlags } from '../../model/service.js';
import { NO_SCHED_FLAGS } from '../../model/service.js';
import type { CmdName, OptName } from './options.js';

/** 0 = not set yet (AF_UNSPEC). */
export type AfState = 0 | 4 | 6;

export interface SvcState {
  af: AfState;
  /** IPPROTO number; 0 until -t/-u/--sctp-service/-f. */
  protocol: number;
  addr: IpAddr | null;
  port: number;
  fwmark: number;
  sched: string;
  persistent: boolean;
  timeout: number;
  /** v4: host-order mask; v6: prefix length. */
  netmask: number;
  onePacket: boolean;
  pe: string;
  schedFlags: SchedFlags;
}

export interface DestState {
  af: AfState;
  addr: IpAddr | null;
  port: number;
  fwd: FwdMethod;
  weight: number;
  uThreshold: number;
  lThreshold: number;
  /** 0 ipip, 1 gue, 2 gre (IP_VS_CONN_F_TUNNEL_TYPE_*). */
  tunType: number;
  tunPort: number;
  tunFlags: number;
}

export interface DaemonState {
  state: 'master' | 'backup' | null;
  mcastIfn: string;
  syncId: number;
  maxLen: number;
  group: string | null;
  port: number;
  ttl: number;
}

export interface Format {
  numeric: boolean;
  rule: boolean;
  stats: boolean;
  rate: boolean;
  thresholds: boolean;
  persistentConn: boolean;
  nosort: boolean;
  exact: boolean;
  tunInfo: boolean;
}

export interface CommandEntry {
  cmd: CmdName | null;
  svc: SvcState;
  dest: DestState;
  timeouts: { tcp: number; tcpFin: number; udp: number };
  daemon: DaemonState;
  options: Set<OptName>;
  format: Format;
}

export const TUN_NAMES = ['ipip', 'gue', 'gre'] as const;

/** process_options() defaults: weight 1, direct routing, /32 persistence mask. */
export function newEntry(): CommandEntry {
  return {
    cmd: null,
    svc: {
      af: 0, protocol: 0, addr: null, port: 0, fwmark: 0, sched: '', persistent: false, timeout: 0,
      netmask: 0xffffffff, onePacket: false, pe: '', schedFlags: NO_SCHED_FLAGS,
    },
    dest: { af: 0, addr: null, port: 0, fwd: 'route', weight: 1, uThreshold: 0, lThreshold: 0, tunType: 0, tunPort: 0, tunFlags: 0 },
    timeouts: { tcp: 0, tcpFin: 0, udp: 0 },
    daemon: { state: null, mcastIfn: '', syncId: 0, maxLen: 0, group: null, port: 0, ttl: 0 },
    options: new Set(),
    format: newFormat(),
  };
}

export function newFormat(): Format {
  return { numeric: false, rule: false, stats: false, rate: false, thresholds: false, persistentConn: false, nosort: false, exact: false, tunInfo: false };
}
