import type { DataPlane } from '../../ports/dataplane.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import type { Random } from '../../ports/random.js';
import type { Logger } from '../../ports/logger.js';
import type { TableOp } from '../../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../../model/table.js';
import { TableError, type TableErrno } from '../../model/errors.js';
import { ServiceTable } from '../../dataplane/director/table.js';
import { USERSPACE } from '../../dataplane/director/table-rules.js';
import type { ServiceRuntime } from '../../dataplane/director/service.js';
import { DirectorFlows } from '../../dataplane/director/flows.js';
import { ESTIMATOR_PERIOD_MS } from '../../dataplane/director/estimator.js';
import { TcpServiceListener } from './tcp.js';
import { UdpServiceListener } from './udp.js';
import { applyAll } from '../../dataplane/table-apply.js';
import type { TableResult } from '../../ports/table.js';
import { FdBudget, type FdBudgetSnapshot } from './fd-budget.js';
import { refuseLoop } from './plane-loops.js';
import { noPause, runSliced, SLICE_UNITS, type Pause } from '../../ports/pause.js';

export interface ProxyPlaneOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  /** Connection-table capacity (entries). */
  readonly connCapacity?: number;
  /** ms; the kernel's lblc_expiration / lblcr_expiration sysctls (default 24 h). */
  readonly localityExpiration?: number;
  /** Seconds a cleanly closed TCP connection stays in TIME_WAIT (default 120, the kernel's tcp_timeouts). */
  readonly tcpTimeWait?: number;
  /** RLIMIT_NOFILE the descriptor budget derives from (undefined: unknown, no budget). */
  readonly fdLimit?: number;
  /** At the connection-table capacity, evict an open idle relay for a new client (default: refuse the client). */
  readonly evictIdle?: boolean;
  /** A turn of the event loop between slices of a large apply or read-back (default none: tests step it). */
  readonly pause?: Pause;
}

type Listener = TcpServiceListener | UdpServiceListener;

/** How often expired connection-table entries are reaped; IPVS's own timer granularity is 1 s too. */
const EXPIRY_TICK_MS = 1000;

/**
 * The unprivileged L4 data plane: each virtual service becomes a listening socket on VIP:port, and each
 * client is relayed to the real server the director schedules. Forwarding methods (masq/route/tunnel)
 * all become a full proxy here: a socket plane cannot preserve the client address towards the real server.
 */
export class ProxyDataPlane implements DataPlane {
  readonly name = 'proxy' as const;
  private readonly table: ServiceTable;
  private readonly flows: DirectorFlows;
  private readonly listeners = new Map<ServiceRuntime, Listener>();
  /** Listeners of removed services whose relays still run, so close() can end them too. */
  private readonly retired = new Set<Listener>();
  private readonly budget: FdBudget;
  private readonly timers: TimerHandle[] = [];
  private closed = false;
  private readonly pause: Pause;

  constructor(private readonly opts: ProxyPlaneOptions) {
    const capacity = opts.connCapacity ?? 1 << 20;
    this.table = new ServiceTable(opts.random, capacity, USERSPACE, { now: () => opts.clock.now(), localityExpiration: opts.localityExpiration });
    this.flows = new DirectorFlows(this.table, opts.clock, capacity, opts.tcpTimeWait, opts.evictIdle ?? false);
    this.budget = new FdBudget(opts.fdLimit, opts.clock, opts.log);
    this.pause = opts.pause ?? noPause;
    if (opts.fdLimit === undefined) opts.log.warn({}, 'open-file limit unknown: the proxy plane runs without a descriptor budget');
    else opts.log.info({ ...this.budget.snapshot() }, 'descriptor budget');
    this.every(ESTIMATOR_PERIOD_MS, () => this.sampleRates());
    this.every(EXPIRY_TICK_MS, () => this.expire());
  }

  /** The descriptor budget and its refusal counts (for logs and metrics). */
  budgetSnapshot(): FdBudgetSnapshot {
    return this.budget.snapshot();
  }

  /**
   * Relays run on this thread: a reload's 100,000 add-dest ops must leave them a turn every SLICE_UNITS ops
   * (issue 11), as the kernel plane's netlink batches leave the loop free while the kernel works.
   */
  apply(ops: readonly TableOp[]): Promise<TableResult[]> {
    let since = 0;
    return applyAll(ops, async (op) => {
      if (++since >= SLICE_UNITS) {
        since = 0;
        await this.pause();
      }
      await this.applyOne(op);
    });
  }

  private async applyOne(op: TableOp): Promise<void> {
    if (this.closed) throw new TableError('EINVAL', 'data plane is closed');
    refuseLoop(op, this.table.list());
    switch (op.op) {
      case 'add-service': {
        const id = op.spec.id;
        if (id.kind === 'fwmark') throw new TableError('EOPNOTSUPP', 'the proxy data plane cannot serve fwmark services (no packet marks in userspace sockets)');
        if (id.port === 0) throw new TableError('EOPNOTSUPP', 'the proxy data plane cannot serve port 0 (all-ports) services');
        if (id.protocol === 'sctp') throw new TableError('EOPNOTSUPP', 'the proxy data plane cannot serve SCTP services');
        this.table.apply(op);
        const svc = this.table.find(id)!;
        try {
          await this.startListener(svc);
        } catch (e) {
          this.table.apply({ op: 'del-service', id });
          throw listenError(e, svc);
        }
        return;
      }
      case 'del-service': {
        const svc = this.table.find(op.id);
        this.table.apply(op);
        if (svc) await this.stopListener(svc);
        return;
      }
      case 'flush': {
        const all = [...this.table.list()];
        this.table.apply(op);
        await Promise.all(all.map((s) => this.stopListener(s)));
        return;
      }
      case 'set-timeouts':
        this.table.apply(op);
        this.flows.setTimeouts(this.table.timeouts);
        return;
      default:
        this.table.apply(op);
    }
  }

  snapshot(): Promise<TableSnapshot> {
    return runSliced(this.table.snapshotSteps(), this.pause);
  }

  async connections(): Promise<readonly ConnEntry[]> {
    return this.flows.entries();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) this.opts.clock.clearTimer(t);
    this.budget.close();
    this.opts.log.info({ ...this.budget.snapshot() }, 'descriptor budget at stop');
    // Relays are closed as the plane goes: a stop must not wait for clients (issue 11).
    await Promise.all([...this.listeners.values(), ...this.retired].map((l) => l.close(true)));
    this.listeners.clear();
    this.retired.clear();
  }

  private async startListener(svc: ServiceRuntime): Promise<void> {
    const id = svc.spec.id;
    if (id.kind !== 'addr') return;
    const onError = (err: Error, context: string) => this.opts.log.error({ err, context }, 'proxy socket error');
    const budget = this.budget;
    const l = id.protocol === 'udp'
      ? new UdpServiceListener(svc, id.addr, id.port, { flows: this.flows, budget, onError })
      : new TcpServiceListener(svc, id.addr, id.port, { flows: this.flows, timeouts: () => this.table.timeouts, budget, onError });
    await l.listen();
    this.listeners.set(svc, l);
  }

  private async stopListener(svc: ServiceRuntime): Promise<void> {
    const l = this.listeners.get(svc);
    this.listeners.delete(svc);
    // Established relays keep running, as IPVS keeps connections of a deleted service until they end; the
    // removal itself never waits for them.
    if (!l) return;
    await l.close(false);
    if (l.busy) this.retired.add(l);
  }

  private expire(): void {
    this.flows.expire();
    for (const l of this.retired) if (!l.busy) this.retired.delete(l);
  }

  private sampleRates(): void {
    for (const svc of this.table.list()) {
      svc.estimator.sample(svc.stats);
      for (const d of svc.dests) d.estimator.sample(d.stats);
    }
  }

  private every(ms: number, fn: () => void): void {
    const slot = this.timers.length;
    const arm = (): TimerHandle => this.opts.clock.setTimer(ms, () => {
      if (this.closed) return;
      fn();
      this.timers[slot] = arm();
    });
    this.timers.push(arm());
  }
}

function listenError(e: unknown, svc: ServiceRuntime): TableError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const errno: TableErrno = code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES' ? code : 'EINVAL';
  const id = svc.spec.id;
  const where = id.kind === 'addr' ? `${id.addr.text}:${id.port}` : `fwmark ${id.fwmark}`;
  return new TableError(errno, `cannot listen on ${where}: ${(e as Error).message}`);
}
