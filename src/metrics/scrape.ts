/**
 * One /metrics answer: the table's families (written in slices), the status families, then prom-client's
 * default process metrics (process_*, nodejs_*) from its own registry. A scrape only reads: the table
 * snapshot the plane keeps and the status sources; nothing here changes the daemon.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import type { StatusSources } from '../ports/status.js';
import { writeTable } from './collect-table.js';
import { writeConnTable, writeDaemon, writeHealth, writeVrrp } from './collect-status.js';
import { ExpositionWriter } from './exposition.js';

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export class MetricsRenderer {
  private readonly registry = new Registry();
  private lastRenderSeconds = 0;

  constructor(private readonly sources: StatusSources) {
    collectDefaultMetrics({ register: this.registry });
    // prom-client names three gauges *_total, which `promtool check metrics` rejects (a _total suffix
    // promises a counter); the same totals remain, by type, in nodejs_active_{handles,requests,resources}.
    for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
  }

  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';

  async render(): Promise<string> {
    const t0 = process.hrtime.bigint();
    const table = await writeTable(await this.sources.table(), () => yieldTurn());
    const w = new ExpositionWriter();
    writeHealth(w, this.sources.health);
    writeVrrp(w, this.sources.vrrp);
    writeConnTable(w, this.sources.conntable);
    writeDaemon(w, this.sources.counters, this.lastRenderSeconds);
    const text = table + w.text() + await this.registry.metrics();
    this.lastRenderSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return text;
  }
}
