import type { Clock, TimerHandle } from '../ports/clock.js';
import type { DataPlane } from '../ports/dataplane.js';
import type { Logger } from '../ports/logger.js';
import type { KeepalivedConfig } from '../model/config.js';
import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import type { OpError } from '../control/protocol.js';
import type { Diagnostic } from '../config/tree.js';
import type { DesiredTable } from '../reconcile/desired-table.js';
import { desiredTableSliced } from '../reconcile/desired.js';
import { initialHealth } from '../health/view.js';
import { noPause, type Pause } from '../ports/pause.js';
import { describeOp, reconcileOnce } from '../reconcile/loop.js';
import { OperatorOverrides, type OverrideOp } from '../reconcile/overrides.js';
import { SerialWork } from '../reconcile/serial-work.js';
import { planSettings } from '../reconcile/settings.js';
import type { LoadedConfig } from './config-source.js';
import { hasCheckers, type HealthControl, type HealthFactory } from './health-wiring.js';
import type { VirtualServerSnapshot } from '../health/snapshot.js';
import type { HealthStatusSource } from '../ports/status.js';

/** A restore (-R) of a whole table through the socket logs this many overrides one by one, then a count. */
const MAX_LOGGED_OVERRIDES = 200;

/** Operator ops are applied in order until one is refused; those before it stay applied. */
export type OperatorResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly index: number; readonly error: OpError };

export interface CoreDeps {
  readonly clock: Clock;
  readonly plane: DataPlane;
  readonly log: Logger;
  /** Reads and checks a configuration file (the shell binds the config id and the host's interfaces). */
  readonly loadConfig: (file: string) => LoadedConfig | Promise<LoadedConfig>;
  /** Runs the checkers of a configuration that has any (health-wiring.ts); without it real servers stay up. */
  readonly health?: HealthFactory;
  /** Told of each usable configuration before its table is applied (VRRP starts on the first, follows reloads). */
  readonly onConfig?: (config: KeepalivedConfig, first: boolean) => Promise<void>;
  /** A turn of the event loop between slices of table work (issue 11); default none. */
  readonly pause?: Pause;
}

export interface CoreOptions {
  /** keepalived.conf to run; undefined = the table is managed through the control socket only. */
  readonly configFile: string | undefined;
  /** Time between read-backs that repair drift (with a file). */
  readonly reconcileIntervalMs: number;
  /** --flush-on-stop: empty the whole table on stop, whatever the file says. */
  readonly flushOnStop: boolean;
}

/** What one pass is for: a reload re-reads the file first; any pass brings the table to the desired one. */
interface PassNeed {
  readonly reload: boolean;
}

interface Applied {
  readonly config: KeepalivedConfig;
  /** The file's table, before operator overrides. */
  readonly desired: DesiredTable;
}

/**
 * The director without its process: the applied configuration, the table it wants, operator overrides and
 * the scheduling of reconcile passes, all on an injected Clock and DataPlane, so a test steps it with a
 * FakeClock and an in-memory table. The process shell (run.ts) adds signals, the control socket and pino.
 *
 * Table work runs serially (SerialWork): one pass at a time and at most one waiting, whatever asks —
 * the repair timer, SIGHUP, and later health checkers and VRRP through requestReconcile(). The desired
 * table is computed in one place (desiredNow) from the file and the overrides; health and VRRP state join
 * it there.
 */
export class DaemonCore {
  private readonly clock: Clock;
  private readonly plane: DataPlane;
  private readonly log: Logger;
  private readonly pause: Pause;
  private readonly work: SerialWork<PassNeed>;
  private readonly held = new OperatorOverrides();
  private applied: Applied | null = null;
  private desired: DesiredTable = { services: [] };
  private timer: TimerHandle | null = null;
  private stopped = false;
  /** For lvsd_reconcile_* metrics: passes, their ops and refusals, and ops that repaired drift. */
  private readonly counts = { reconcilePasses: 0, reconcileOps: 0, reconcileFailed: 0, driftRepairs: 0 };
  private health: HealthControl | null = null;

  constructor(private readonly deps: CoreDeps, private readonly opts: CoreOptions) {
    this.clock = deps.clock;
    this.plane = deps.plane;
    this.log = deps.log;
    this.pause = deps.pause ?? noPause;
    this.work = new SerialWork<PassNeed>((need) => this.pass(need), (a, b) => ({ reload: a.reload || b.reload }));
  }

  /**
   * Applies the file (if any) and starts drift repair. False when the file is unusable: lvsd must not start
   * on it (on a reload, the old table stays instead).
   */
  async start(): Promise<boolean> {
    const file = this.opts.configFile;
    if (file === undefined) return true;
    const ok = await this.work.exclusive(() => this.load(file, true));
    if (ok) this.arm();
    return ok;
  }

  /** SIGHUP: re-read the file, clear the overrides and bring the table to it; joins a waiting pass. */
  reload(): Promise<void> {
    if (this.opts.configFile === undefined) {
      this.log.warn({}, 'SIGHUP ignored: lvsd runs without a configuration file');
      return Promise.resolve();
    }
    return this.request({ reload: true });
  }

  /** Brings the table to the desired one soon: joins a waiting pass, or queues one. */
  requestReconcile(): Promise<void> {
    return this.request({ reload: false });
  }

  /**
   * An operator's changes from the control socket, in order until one fails (ipvsadm -R semantics). With a
   * file loaded, each accepted service or real-server change becomes an override that drift repair keeps.
   * Only a refusal (a TableResult) is the operator's mistake; anything the table throws rejects (the caller's
   * bug to report).
   */
  applyOperatorOps(ops: readonly TableOp[]): Promise<OperatorResult> {
    return this.work.exclusive(async () => {
      let held = 0;
      try {
        for (const [i, op] of ops.entries()) {
          const [refused] = await this.plane.apply([op]);
          if (refused) {
            this.log.info({ op: op.op, errno: refused.errno, detail: refused.message }, 'table operation refused');
            return { ok: false, index: i, error: { errno: refused.errno, message: refused.message } };
          }
          if (this.hold(op, held < MAX_LOGGED_OVERRIDES)) held++;
        }
      } finally {
        if (held > MAX_LOGGED_OVERRIDES) this.log.info({ overrides: held }, `${held - MAX_LOGGED_OVERRIDES} more operator overrides (not listed one by one)`);
        if (held > 0) this.desired = await this.desiredNow();
      }
      if (ops.length > 0) this.log.info({ ops: ops.length, first: ops[0]!.op }, 'table changed');
      return { ok: true };
    });
  }

  /** The operator overrides drift repair keeps, in the order that rebuilds them on the file's table. */
  overrides(): OverrideOp[] {
    return this.held.list();
  }

  /** The configuration applied now (null without -f); the SIGUSR1 dump reads it. */
  config(): KeepalivedConfig | null {
    return this.applied?.config ?? null;
  }

  snapshot(): Promise<TableSnapshot> {
    return this.plane.snapshot();
  }

  connections(): Promise<readonly ConnEntry[]> {
    return this.plane.connections();
  }

  /** Resolves when all table work queued so far has finished. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** Passes asked for and passes run (coalescing merges the rest). */
  get passCounts(): { readonly requested: number; readonly run: number } {
    return this.work.counts;
  }

  get reconcileCounts(): { readonly reconcilePasses: number; readonly reconcileOps: number; readonly reconcileFailed: number; readonly driftRepairs: number } {
    return { ...this.counts };
  }

  /** Every real server's checkers and state (the control socket's `health`); null while nothing is checked. */
  healthReport(): VirtualServerSnapshot[] | null {
    return this.health?.report() ?? null;
  }

  /** Health checking's status source (metrics, /status.json); null while nothing is checked. */
  healthStatus(): HealthStatusSource | null {
    return this.health?.status ?? null;
  }

  /** Stops drift repair and health checking and lets queued work finish; later requests are ignored. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
    await this.health?.stop();
    this.health = null;
    await this.work.idle();
  }

  /**
   * After stop(), on a clean shutdown: --flush-on-stop empties the table; else lvs_flush_on_stop empties
   * it (full) or removes only what the file put there (vs); by default the table stays, traffic flowing.
   */
  async flushOnStop(): Promise<void> {
    const mode = this.opts.flushOnStop ? 'full' : this.applied?.config.global.lvsFlushOnStop ?? 'none';
    if (mode === 'none') return;
    const ops: TableOp[] = mode === 'full' ? [{ op: 'flush' }] : (this.applied?.desired.services ?? []).map((s) => ({ op: 'del-service', id: s.spec.id }));
    try {
      const failed = (await this.plane.apply(ops)).filter((o) => o !== null).length;
      this.log.info({ mode, ops: ops.length, failed }, 'table flushed on stop');
    } catch (err) {
      this.log.error({ err }, 'flush on stop failed');
    }
  }

  private request(need: PassNeed): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.work.requestPass(need);
  }

  /**
   * Level-triggered repair: every interval the table is read back and whatever drifted (ipvsadm by hand)
   * repaired. The timer re-arms at once; a tick while a pass runs joins the waiting pass (SerialWork).
   */
  private arm(): void {
    this.timer = this.clock.setTimer(this.opts.reconcileIntervalMs, () => {
      this.arm();
      void this.requestReconcile();
    });
  }

  private async pass(need: PassNeed): Promise<void> {
    const file = this.opts.configFile;
    try {
      // A reload that applied the file has reconciled; one refused still owes the repair it may have joined.
      if (need.reload && file !== undefined && await this.load(file, false)) return;
      if (!this.applied) return;
      // Health changes ask for passes: the desired table follows the checkers' state now.
      if (this.health) this.desired = await this.desiredNow();
      const r = await reconcileOnce(this.plane, this.desired, this.log, undefined, this.pause);
      this.count(r, true);
      this.log.debug({ applied: r.applied, failed: r.failed, overrides: this.held.size }, 'drift repair pass');
    } catch (err) {
      this.log.error({ err }, need.reload ? 'reload failed' : 'drift repair failed');
    }
  }

  /** Reads the file and brings the data plane to it; an unusable file is logged and changes nothing. */
  private async load(file: string, first: boolean): Promise<boolean> {
    if (!first) this.log.info({ file }, 'reloading configuration');
    const loaded = await this.deps.loadConfig(file);
    for (const d of loaded.diagnostics) this.logDiagnostic(d);
    const config = loaded.config;
    if (!config) {
      this.log.error({ file, errors: loaded.diagnostics.filter((d) => d.severity === 'error').length }, 'configuration has errors; nothing changed');
      return false;
    }
    await this.deps.onConfig?.(config, first);
    const cleared = this.held.clear();
    if (cleared > 0) this.log.info({ overrides: cleared }, `reload clears ${cleared} operator overrides`);
    // lvs_flush: keepalived empties the table when it starts; without it an existing table is adopted.
    if (first && config.global.lvsFlush) {
      const [refused] = await this.plane.apply([{ op: 'flush' }]);
      if (refused) this.log.error({ errno: refused.errno, detail: refused.message }, 'lvs_flush refused');
    }
    // One read-back serves both: timeouts and sync daemons change no service.
    const observed = await this.plane.snapshot();
    for (const o of await this.plane.apply(planSettings(config, observed.daemons))) {
      if (o) this.log.error({ errno: o.errno, detail: o.message }, 'timeouts or sync daemon refused');
    }
    this.applied = { config, desired: await desiredTableSliced(config, initialHealth, this.pause) };
    this.checkHealth(config);
    this.desired = await this.desiredNow();
    const r = await reconcileOnce(this.plane, this.desired, this.log, observed, this.pause);
    this.count(r, false);
    this.log.info({ file, applied: r.applied, failed: r.failed, services: config.virtualServers.length }, 'configuration applied');
    return true;
  }

  private count(r: { readonly applied: number; readonly failed: number }, repair: boolean): void {
    this.counts.reconcilePasses++;
    this.counts.reconcileOps += r.applied + r.failed;
    this.counts.reconcileFailed += r.failed;
    if (repair) this.counts.driftRepairs += r.applied;
  }

  /** Health checking starts with the first configuration that has checkers; a reload migrates its state. */
  private checkHealth(config: KeepalivedConfig): void {
    if (this.health) this.health.reload(config);
    else if (this.deps.health && hasCheckers(config)) this.health = this.deps.health(config, () => void this.requestReconcile());
  }

  /**
   * The one place the desired table is made: the file's table as health checking sees it, then the operator's
   * overrides on top.
   */
  private async desiredNow(): Promise<DesiredTable> {
    if (!this.applied) return { services: [] };
    return this.held.applyTo(this.health ? await desiredTableSliced(this.applied.config, this.health, this.pause) : this.applied.desired);
  }

  /** Records an accepted change as an override (only with a file: without one there is nothing to repair). */
  private hold(op: TableOp, logIt: boolean): boolean {
    if (!this.applied) return false;
    const o = this.held.record(op);
    if (!o) return false;
    if (logIt) this.log.info({ override: describeOp(o) }, 'operator override: drift repair keeps it until the next reload');
    return true;
  }

  private logDiagnostic(d: Diagnostic): void {
    const fields = { file: d.loc.file, line: d.loc.line, code: d.code };
    if (d.severity === 'error') this.log.error(fields, d.message);
    else this.log.warn(fields, d.message);
  }
}
