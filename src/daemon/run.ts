import type { DaemonOptions } from './options.js';
import type { Logger } from '../ports/logger.js';
import type { DataPlane } from '../ports/dataplane.js';
import { createLogger } from '../platform/logger.js';
import { SystemClock } from '../platform/clock.js';
import { systemRandom } from '../platform/random.js';
import { ProxyDataPlane } from '../dataplane/proxy/plane.js';
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
async function applyConfig(file: string, configId: string, plane: DataPlane, log: Logger): Promise<DesiredTable | null> {
  const loaded = loadConfig(file, configId);
  for (const d of loaded.diagnostics) logDiagnostic(log, d);
  if (!loaded.config) {
    log.error({ file, errors: loaded.diagnostics.filter((d) => d.severity === 'error').length }, 'configuration has errors; nothing changed');
    return null;
  }
  const set = timeoutsOp(loaded.config);
  if (set) await plane.apply(set);
  const desired = desiredTable(loaded.config);
  const r = await reconcileOnce(plane, desired, log);
  log.info({ file, applied: r.applied, failed: r.failed, services: loaded.config.virtualServers.length }, 'configuration applied');
  return desired;
}

function logDiagnostic(log: Logger, d: Diagnostic): void {
  const fields = { file: d.loc.file, line: d.loc.line, code: d.code };
  if (d.severity === 'error') log.error(fields, d.message);
  else log.warn(fields, d.message);
}

export async function runDaemon(opts: DaemonOptions, version: string): Promise<number> {
  const { log, flush } = createLogger(opts.logLevel);
  const clock = new SystemClock();
  const plane = new ProxyDataPlane({ clock, random: systemRandom(), log: log.child({ component: 'proxy' }), connCapacity: opts.connCapacity });
  const configId = opts.configId ?? shortHostname();
  let desired: DesiredTable | null = null;
  if (opts.configFile !== undefined) {
    desired = await applyConfig(opts.configFile, configId, plane, log);
    if (!desired) {
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
      desired = (await applyConfig(file, configId, plane, log)) ?? desired;
    });
  };
  // Level-triggered: the table is read back periodically and whatever drifted (ipvsadm by hand) repaired.
  let repairTimer: TimerHandle | null = null;
  const repair = () => {
    repairTimer = clock.setTimer(opts.reconcileInterval * 1000, () => {
      serially('drift repair', async () => {
        if (desired) await reconcileOnce(plane, desired, log);
      });
      repair();
    });
  };
  if (desired) repair();
  return new Promise<number>((resolve) => {
    installSignalHandlers(log, reload, async (signal) => {
      log.info({ signal }, 'lvsd stopping');
      if (repairTimer) clock.clearTimer(repairTimer);
      await reloading;
      await control.close();
      await plane.close();
      flush();
      resolve(0);
    });
  });
}
