import type { DaemonOptions } from './options.js';
import type { DataPlane } from '../ports/dataplane.js';
import { createLogger } from '../platform/logger.js';
import { SystemClock } from '../platform/clock.js';
import { openPlane } from './plane-choice.js';
import { resolveSocketPath } from '../control/socket-path.js';
import { ControlSocket } from './control-socket.js';
import { controlHandler } from './control-handler.js';
import { installSignalHandlers } from './lifecycle.js';
import { shortHostname, type LoadedConfig } from './config-source.js';
import { loadConfigInWorker } from './config-worker.js';
import { eventLoopTurn } from '../platform/pause.js';
import { DaemonCore } from './core.js';
import { startMetrics, statusWiring } from './status-wiring.js';
import { STOP_BOUND_MS, withinBound } from './stop-bound.js';
import { SdNotify } from '../platform/sd-notify.js';
import { dumpPaths, installDumpSignals } from './ops-signals.js';
import { healthFactory } from './health-wiring.js';
import { vrrpFor } from './vrrp-daemon.js';
import { DaemonAlerts } from './alert-wiring.js';
import { hostname } from 'node:os';

/**
 * The process shell around DaemonCore: the real clock, pino, the data plane chosen by the options, the
 * control socket and the signals. What lvsd decides lives in the core; this file only wires and exits.
 */
export async function runDaemon(opts: DaemonOptions, version: string): Promise<number> {
  const { log, flush } = createLogger(opts.logLevel);
  const systemd = SdNotify.fromEnv(process.env, log);
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
  // Read in a worker thread: the event loop keeps serving traffic and lvsadm during a reload or a --plan.
  const load = (file: string): Promise<LoadedConfig> => loadConfigInWorker(file, configId);
  // keepalived's router_id defaults to the node name (uname), which the alerter uses when router_id is unset.
  const alerts = new DaemonAlerts(log, hostname());
  const vrrp = vrrpFor(plane, clock, log, alerts);
  const core = new DaemonCore(
    {
      clock, plane, log, loadConfig: load, pause: eventLoopTurn,
      health: healthFactory({ clock, log, vipHeld: vrrp.vipHeld, alerts }),
      onConfig: (c, first) => {
        alerts.configure(c);
        return vrrp.configure(c, first);
      },
    },
    { configFile: opts.configFile, reconcileIntervalMs: opts.reconcileInterval * 1000, flushOnStop: opts.flushOnStop },
  );
  if (!(await core.start())) {
    await vrrp.stop();
    await plane.close();
    flush();
    return 1;
  }
  const socketPath = resolveSocketPath(opts.control);
  const controlLog = log.child({ component: 'control' });
  const status = statusWiring(core, plane.name, version, load, vrrp.running ? vrrp.status : undefined);
  const control = new ControlSocket(socketPath, controlHandler(core, controlLog, status.extras), controlLog);
  try {
    await control.listen();
  } catch (e) {
    log.error({ err: e, socket: socketPath }, 'cannot open the control socket');
    await vrrp.stop();
    await core.stop();
    await plane.close();
    flush();
    return 1;
  }
  const metrics = await startMetrics(opts.metrics, status.sources, log);
  if (metrics === 'failed') {
    await vrrp.stop();
    await control.close();
    await core.stop();
    await plane.close();
    flush();
    return 1;
  }
  log.info({ dataplane: plane.name, control: socketPath, config: opts.configFile ?? null, version }, 'lvsd started');
  const removeDumps = installDumpSignals(core, dumpPaths(process.env), log);
  systemd?.ready('running');
  // Type=notify-reload: RELOADING=1 before the file is re-read, READY=1 once the table follows it.
  const reload = async () => {
    systemd?.reloading();
    await core.reload();
    systemd?.ready('running');
  };
  return new Promise<number>((resolve) => {
    installSignalHandlers(log, () => void reload(), async (signal) => {
      log.info({ signal, boundMs: STOP_BOUND_MS }, 'lvsd stopping');
      systemd?.stopping();
      removeDumps();
      // VRRP first: the peer takes over at our priority 0 while we finish here (RFC 5798 §6.4.3). No new
      // operator changes; then the core finishes queued work and flushes as configured; the plane closes its
      // relays. All of it within STOP_BOUND_MS, whatever a client or a pass is doing.
      const inTime = await withinBound((async () => {
        await vrrp.stop();
        await control.close();
        await metrics?.close();
        await core.stop();
        await core.flushOnStop();
        await plane.close();
        await alerts.idle();
      })(), STOP_BOUND_MS);
      if (!inTime) log.error({ boundMs: STOP_BOUND_MS }, 'stop passed its bound; exiting with work unfinished');
      flush();
      resolve(inTime ? 0 : 1);
    });
  });
}
