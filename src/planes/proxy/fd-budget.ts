import type { Clock, TimerHandle } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';

export type FlowKind = 'tcp' | 'udp';

/**
 * Descriptors the data plane never takes: 64 for the process itself (Node's runtime ≈ 20: stdio, epoll,
 * signal and async pipes, the thread pool), the control socket and its clients, the metrics endpoint and its
 * clients, netlink sockets, VRRP sockets, the config file being read; plus a tenth of the limit for what
 * grows with the configuration (one socket per health check in flight, three pipes per script running).
 */
export function reserveFor(limit: number): number {
  return 64 + Math.ceil(limit / 10);
}

/** Fewer data-plane descriptors than this is a limit lvsd refuses to start under. */
export const MIN_DATA_PLANE_FDS = 16;

/** Refusals are logged at most once per this interval (the first at once, then a summary per interval). */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;

/** What the budget holds and has refused: a plain snapshot for `lvsd`'s logs and, later, its metrics. */
export interface FdBudgetSnapshot {
  /** RLIMIT_NOFILE as lvsd runs (null: unknown, no budget enforced). */
  readonly limit: number | null;
  readonly reserve: number;
  /** Descriptors the data plane may hold in all. */
  readonly cap: number;
  /** Descriptors one protocol's flows may hold, so a flood of one leaves room for the other. */
  readonly share: number;
  readonly listeners: number;
  readonly tcp: number;
  readonly udp: number;
  /** New TCP clients reset because the budget was spent. */
  readonly tcpRefused: number;
  /** Datagrams of new UDP clients dropped because the budget was spent. */
  readonly udpDropped: number;
}

/**
 * The proxy plane's descriptor budget (issue 11): derived from RLIMIT_NOFILE at start, it keeps a reserve for
 * everything else lvsd runs and caps the data plane below it. A TCP relay costs 2 descriptors (client and
 * real-server sockets), a UDP session 1 (its socket towards the real server; the service's socket is shared).
 * At the cap a new flow is refused the way IPVS refuses one it cannot schedule (TCP reset, UDP datagram
 * dropped), counted, and logged once per interval; flows already relayed are never touched.
 */
export class FdBudget {
  readonly reserve: number;
  readonly cap: number;
  readonly share: number;
  private listeners = 0;
  private readonly used: Record<FlowKind, number> = { tcp: 0, udp: 0 };
  private readonly refused: Record<FlowKind, number> = { tcp: 0, udp: 0 };
  private readonly reported: Record<FlowKind, number> = { tcp: 0, udp: 0 };
  private timer: TimerHandle | undefined;

  constructor(readonly limit: number | undefined, private readonly clock: Clock, private readonly log: Logger, private readonly intervalMs = REFUSAL_LOG_INTERVAL_MS) {
    if (limit === undefined) {
      this.reserve = 0;
      this.cap = this.share = Number.POSITIVE_INFINITY;
      return;
    }
    this.reserve = reserveFor(limit);
    this.cap = limit - this.reserve;
    if (this.cap < MIN_DATA_PLANE_FDS) {
      throw new Error(`the open-file limit (RLIMIT_NOFILE ${limit}) leaves ${this.cap} descriptors for the data plane after a reserve of ${this.reserve}; at least ${MIN_DATA_PLANE_FDS} are needed (raise it with LimitNOFILE= or ulimit -n)`);
    }
    // Three quarters each: a flood of idle TCP clients leaves UDP services a quarter of the plane, and back.
    this.share = Math.floor((this.cap * 3) / 4);
  }

  /** A listening socket: configured by the operator, so always granted; flows get what remains. */
  holdListener(): void {
    this.listeners++;
  }

  releaseListener(): void {
    this.listeners--;
  }

  /** Takes `n` descriptors for a new flow; false (counted, logged) when that would pass the cap or the share. */
  take(kind: FlowKind, n: number): boolean {
    if (this.listeners + this.used.tcp + this.used.udp + n <= this.cap && this.used[kind] + n <= this.share) {
      this.used[kind] += n;
      return true;
    }
    this.refused[kind]++;
    if (this.timer === undefined) this.report();
    return false;
  }

  give(kind: FlowKind, n: number): void {
    this.used[kind] -= n;
  }

  snapshot(): FdBudgetSnapshot {
    return {
      limit: this.limit ?? null,
      reserve: this.reserve,
      cap: this.cap,
      share: this.share,
      listeners: this.listeners,
      tcp: this.used.tcp,
      udp: this.used.udp,
      tcpRefused: this.refused.tcp,
      udpDropped: this.refused.udp,
    };
  }

  close(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /**
   * One line now, then none until the interval ends, when one line sums what was refused meanwhile: a flood
   * of refusals must not become a flood of log lines.
   */
  private report(): void {
    const tcp = this.refused.tcp - this.reported.tcp;
    const udp = this.refused.udp - this.reported.udp;
    if (tcp === 0 && udp === 0) {
      this.timer = undefined;
      return;
    }
    this.reported.tcp = this.refused.tcp;
    this.reported.udp = this.refused.udp;
    const s = this.snapshot();
    this.log.warn(
      {
        reason: `data-plane descriptors spent: ${s.listeners + s.tcp + s.udp} of ${s.cap} in use (TCP ${s.tcp}, UDP ${s.udp}, listeners ${s.listeners}; one protocol may hold ${s.share}); RLIMIT_NOFILE ${s.limit ?? 'unknown'} minus a reserve of ${s.reserve}`,
        tcpRefused: tcp,
        udpDropped: udp,
        tcpRefusedTotal: s.tcpRefused,
        udpDroppedTotal: s.udpDropped,
        intervalMs: this.intervalMs,
      },
      'new flows refused: descriptor budget spent (TCP reset, UDP dropped)',
    );
    this.timer = this.clock.setTimer(this.intervalMs, () => this.report());
  }
}
