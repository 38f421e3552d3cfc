import type { IpAddr } from '../../model/address.js';
import type { DestRuntime } from './dest.js';
import type { ServiceRuntime } from './service.js';

/** The TCP states a socket-level data plane can observe (it sees no individual segments). */
export type FlowState = 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'TIME_WAIT' | 'CLOSE';

/**
 * How a relayed TCP connection ended, and the state IPVS's table (ip_vs_proto_tcp.c tcp_states) leaves
 * it in: both FINs and their ACKs end in TIME_WAIT (120 s), an inactive connection least-connection
 * schedulers still count; an RST from either side moves any state to CLOSE (10 s).
 */
export type FlowEnd = 'clean' | 'reset';
export const END_STATE: Readonly<Record<FlowEnd, FlowState>> = { clean: 'TIME_WAIT', reset: 'CLOSE' };

/**
 * One client flow through a userspace data plane, as the director tracks it: the connection-table
 * entry (state, expiry, ActiveConn/InActConn) and the counters it feeds.
 */
export interface Flow {
  readonly service: ServiceRuntime;
  readonly dest: DestRuntime;
  /** Moves the connection-table entry to a state (and its timeout). */
  setState(state: FlowState): void;
  /** Client → real server traffic. */
  inbound(packets: number, bytes: number): void;
  /** Real server → client traffic. */
  outbound(packets: number, bytes: number): void;
  /** Restarts the idle timer (UDP traffic). */
  touch(): void;
  /** True once the connection-table entry expired or was removed; the plane then closes its sockets. */
  readonly expired: boolean;
  /** The plane is done with the flow: the entry stays for its current state's timeout, as IPVS keeps it. */
  release(): void;
  /** The connection ended (see FlowEnd): moves the entry to END_STATE[how], then releases the flow. */
  end(how: FlowEnd): void;
}

export interface FlowKey {
  readonly client: IpAddr;
  readonly clientPort: number;
  readonly vaddr: IpAddr;
  readonly vport: number;
}

export interface FlowOpener {
  /**
   * Schedules a new flow for a service (persistence first, then the scheduler) and enters it in the
   * connection table; null when the kernel would find no destination.
   */
  open(svc: ServiceRuntime, key: FlowKey, onExpire: () => void): Flow | null;
}
