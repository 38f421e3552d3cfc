import type { DaemonOptions } from './options.js';
import type { DataPlane } from '../ports/dataplane.js';
import { createLogger } from '../platform/logger.js';
import { SystemClock } from '../platform/clock.js';
import { openPlane } from './plane-choice.js';
import { resolveSocketPath } from '../control/socket-path.js';
import { ControlSocket } from './control-socket.js';
import { controlHandler } from './control-handler.js';
import { installSignalHandlers } from './lifecycle.js';
import { loadConfig, shortHostname } from './config-source.js';
import { DaemonCore } from './core.js';
import { healthFactory } from './health-wiring.js';
import { vrrpFor } from './vrrp-daemon.js';

/**
 * The process shell around DaemonCore: the real clock, pino, the data plane chosen by the options, the
 * control socket and the signals. What lvsd decides lives in the core; this file only wires and exits.
 */
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
  const vrrp = vrrpFor(plane, clock, log);
  const core = new DaemonCore(
    {
      clock, plane, log, loadConfig: (file) => loadConfig(file, configId),
      health: healthFactory({ clock, log, vipHeld: vrrp.vipHeld }),
      onConfig: (c, first) => vrrp.configure(c, first),
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
  const control = new ControlSocket(socketPath, controlHandler(core, controlLog), controlLog);
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
  log.info({ dataplane: plane.name, control: socketPath, config: opts.configFile ?? null, version }, 'lvsd started');
  if (opts.metrics !== undefined) log.warn({ metrics: opts.metrics }, '--metrics is reserved: this build serves no metrics endpoint yet');
  return new Promise<number>((resolve) => {
    installSignalHandlers(log, () => void core.reload(), async (signal) => {
      log.info({ signal }, 'lvsd stopping');
      // VRRP first: the peer takes over at our priority 0 while we finish here (RFC 5798 §6.4.3).
      await vrrp.stop();
      // No new operator changes; then the core finishes queued work and flushes as configured.
      await control.close();
      await core.stop();
      await core.flushOnStop();
      await plane.close();
      flush();
      resolve(0);
    });
  });
}
