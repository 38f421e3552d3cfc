import type { DaemonOptions } from './options.js';
import type { Logger } from '../ports/logger.js';
import type { DataPlane } from '../ports/dataplane.js';
import { createLogger } from '../platform/logger.js';
import { SystemClock } from '../platform/clock.js';
import { openPlane } from './plane-choice.js';
import { planSyncDaemons } from '../reconcile/sync-daemons.js';
import type { KeepalivedConfig } from '../model/config.js';
import { resolveSocketPath } from '../cli/socket-path.js';
import { ControlSocket } from './control-socket.js';
import { controlHandler } from './control-handler.js';
import { installSignalHandlers } from './lifecycle.js';
import { loadConfig, shortHostname, timeoutsOp } from './config-source.js';
import { desiredTable } from '../reconcile/desired.js';
import { reconcileOnce } from '../reconcile/loop.js';
import type { Diagnostic } from '../config/tree.js';
import type { DesiredTable } from '../reconcile/desired-table.js';
import type { TimerHandle } from '../ports/clock.js';

/**
 * Reads the configuration (if any) and brings the data plane to it. An unusable file is logged and
 * changes nothing: at start-up lvsd then refuses to start, on reload it keeps running the old table.
 */
interface Applied {
  readonly config: KeepalivedConfig;
  readonly desired: DesiredTable;
}

async function applyConfig(file: string, configId: string, plane: DataPlane, log: Logger, first: boolean): Promise<Applied | null> {
  const loaded = loadConfig(file, configId);
  for (const d of loaded.diagnostics) logDiagnostic(log, d);
  const config = loaded.config;
  if (!config) {
    log.error({ file, errors: loaded.diagnostics.filter((d) => d.severity === 'error').length }, 'configuration has errors; nothing changed');
    return null;
  }
  // lvs_flush: keepalived empties the table when it starts; without it an existing table is adopted.
  const [flushRefused] = first && config.global.lvsFlush ? await plane.apply([{ op: 'flush' }]) : [];
  if (flushRefused) log.error({ errno: flushRefused.errno, detail: flushRefused.message }, 'lvs_flush refused');
  const set = timeoutsOp(config);
  // One read-back serves both: timeouts and sync daemons change no service.
  const observed = await plane.snapshot();
  const daemons = planSyncDaemons(config.global.lvsSyncDaemon, observed.daemons);
  for (const o of await plane.apply([...(set ? [set] : []), ...daemons])) if (o) log.error({ errno: o.errno, detail: o.message }, 'timeouts or sync daemon refused');
  const desired = desiredTable(config);
  const r = await reconcileOnce(plane, desired, log, observed);
  log.info({ file, applied: r.applied, failed: r.failed, services: config.virtualServers.length }, 'configuration applied');
  return { config, desired };
}

/** lvs_flush_on_stop / --flush-on-stop: empty the table (full) or remove only what the config put there (vs). */
async function flushOnStop(mode: 'none' | 'full' | 'vs', applied: Applied | null, plane: DataPlane, log: Logger): Promise<void> {
  if (mode === 'none') return;
  const ops = mode === 'full' ? [{ op: 'flush' as const }] : (applied?.desired.services ?? []).map((s) => ({ op: 'del-service' as const, id: s.spec.id }));
  const failed = (await plane.apply(ops)).filter((o) => o !== null).length;
  log.info({ mode, ops: ops.length, failed }, 'table flushed on stop');
}

function logDiagnostic(log: Logger, d: Diagnostic): void {
  const fields = { file: d.loc.file, line: d.loc.line, code: d.code };
  if (d.severity === 'error') log.error(fields, d.message);
  else log.warn(fields, d.message);
}

export async function runDaemon(opts: DaemonOptions, version: string): Promise<number> {
  const { log, flush } = createLogger(opts.logLevel);
  const clock = new SystemClock();
  let plane: DataPlane;
  try {
    plane = await openPlane(opts, clock, log);
  } catch (e) {
    log.error({}, (e as Error).message);
    flush();
    return 2;
  }
  const configId = opts.configId ?? shortHostname();
  let applied: Applied | null = null;
  if (opts.configFile !== undefined) {
    applied = await applyConfig(opts.configFile, configId, plane, log, true);
    if (!applied) {
      await plane.close();
      flush();
      return 1;
    }
  }
  const socketPath = resolveSocketPath(opts.control);
  const control = new ControlSocket(socketPath, controlHandler(plane, log.child({ component: 'control' })), log.child({ component: 'control' }));
  try {
    await control.listen();
  } catch (e) {
    log.error({ err: e, socket: socketPath }, 'cannot open the control socket');
    await plane.close();
    flush();
    return 1;
  }
  log.info({ dataplane: plane.name, control: socketPath, config: opts.configFile ?? null, version }, 'lvsd started');
  if (opts.metrics !== undefined) log.warn({ metrics: opts.metrics }, '--metrics is reserved: this build serves no metrics endpoint yet');
  // Reloads and drift repairs run one after another on one chain, never interleaved.
  let reloading = Promise.resolve();
  const serially = (what: string, fn: () => Promise<void>) => {
    reloading = reloading.then(fn).catch((err: unknown) => log.error({ err }, `${what} failed`));
  };
  const reload = () => {
    const file = opts.configFile;
    if (file === undefined) {
      log.warn({}, 'SIGHUP ignored: lvsd runs without a configuration file');
      return;
    }
    serially('reload', async () => {
      log.info({ file }, 'reloading configuration');
      applied = (await applyConfig(file, configId, plane, log, false)) ?? applied;
    });
  };
  // Level-triggered: the table is read back periodically and whatever drifted (ipvsadm by hand) repaired.
  let repairTimer: TimerHandle | null = null;
  const repair = () => {
    repairTimer = clock.setTimer(opts.reconcileInterval * 1000, () => {
      serially('drift repair', async () => {
        if (applied) await reconcileOnce(plane, applied.desired, log);
      });
      repair();
    });
  };
  if (applied) repair();
  return new Promise<number>((resolve) => {
    installSignalHandlers(log, reload, async (signal) => {
      log.info({ signal }, 'lvsd stopping');
      if (repairTimer) clock.clearTimer(repairTimer);
      await reloading;
      await control.close();
      const mode = opts.flushOnStop ? 'full' : applied?.config.global.lvsFlushOnStop ?? 'none';
      await flushOnStop(mode, applied, plane, log).catch((err: unknown) => log.error({ err }, 'flush on stop failed'));
      await plane.close();
      flush();
      resolve(0);
    });
  });
}
