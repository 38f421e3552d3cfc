/**
 * Wires the operator's views into the process: the status sources (table, health, VRRP, counters),
 * control-request counts, the control socket's status/plan extras and the --metrics
 * endpoint. run.ts calls this; nothing here decides anything.
 */
import type { Logger } from '../ports/logger.js';
import type { DaemonCounters, HealthStatusSource, StatusSources, VrrpStatusSource } from '../ports/status.js';
import { MetricsServer, parseListen } from '../metrics/http-server.js';
import { statusDoc } from '../metrics/status-doc.js';
import type { ControlExtras } from './control-handler.js';
import type { LoadedConfig } from './config-source.js';
import type { DaemonCore } from './core.js';
import { DEFAULT_METRICS } from './options.js';
import { planReload } from './plan.js';

/** Control requests by method and outcome, for lvsd_control_requests_total. */
export class RequestCounts {
  private readonly counts = new Map<string, { method: string; outcome: string; count: number }>();

  count(method: string, outcome: string): void {
    const key = `${method} ${outcome}`;
    const c = this.counts.get(key);
    if (c) c.count++;
    else this.counts.set(key, { method, outcome, count: 1 });
  }

  list(): DaemonCounters['controlRequests'] {
    return [...this.counts.values()];
  }
}

export interface StatusWiring {
  readonly sources: StatusSources;
  readonly extras: ControlExtras;
}

/**
 * `vrrp`: given when VRRP runs. Health is read through the core on every request, so checkers a reload starts
 * show at once (nothing is checked: no samples, as when the source is absent).
 */
export function statusWiring(core: DaemonCore, plane: string, version: string, load: (file: string) => Promise<LoadedConfig>, vrrp?: VrrpStatusSource): StatusWiring {
  const requests = new RequestCounts();
  const health: HealthStatusSource = {
    services: () => core.healthStatus()?.services() ?? [],
    transitions: () => core.healthStatus()?.transitions() ?? [],
  };
  const sources: StatusSources = {
    version, plane, startedAt: Date.now(), health, ...(vrrp ? { vrrp } : {}),
    table: () => core.snapshot(),
    counters: () => ({ ...core.reconcileCounts, controlRequests: requests.list() }),
  };
  return {
    sources,
    extras: {
      status: () => statusDoc(sources, Date.now()),
      plan: (file) => planReload(file, load, () => core.snapshot()),
      count: (method, outcome) => requests.count(method, outcome),
    },
  };
}

/**
 * Starts --metrics. The default address is a convenience: when it is taken (another lvsd, an exporter) lvsd
 * says so and runs without it. An address the operator named must work, or lvsd does not start.
 */
export async function startMetrics(option: string | undefined, sources: StatusSources, log: Logger): Promise<MetricsServer | null | 'failed'> {
  if (option === 'off') return null;
  const listen = parseListen(option ?? DEFAULT_METRICS);
  if (!listen) {
    log.error({ metrics: option }, '--metrics: expected HOST:PORT with a port up to 65535');
    return 'failed';
  }
  const server = new MetricsServer(sources, log.child({ component: 'metrics' }));
  try {
    const a = await server.listen(listen.host, listen.port);
    log.info({ metrics: `${a.address}:${a.port}` }, 'serving /metrics, /status.json and the status page');
    return server;
  } catch (err) {
    await server.close();
    if (option === undefined) {
      log.warn({ err, metrics: DEFAULT_METRICS }, 'metrics endpoint not started: the default address is taken (--metrics HOST:PORT or off)');
      return null;
    }
    log.error({ err, metrics: option }, 'cannot open the metrics endpoint');
    return 'failed';
  }
}
