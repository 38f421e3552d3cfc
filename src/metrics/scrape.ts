/**
 * One /metrics answer: the table's families (written in slices), the status families, then prom-client's
 * default process metrics (process_*, nodejs_*) from its own registry, streamed to a sink. A scrape only
 * reads the table snapshot and the status sources; nothing here changes the daemon.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import type { StatusSources } from '../ports/status.js';
import { writeTable, type TextSink } from './collect-table.js';
import { writeConnTable, writeDaemon, writeHealth, writeVrrp } from './collect-status.js';
import { ExpositionWriter } from './exposition.js';

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export class MetricsRenderer {
  private readonly registry = new Registry();
  private lastRenderSeconds = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly sources: StatusSources) {
    collectDefaultMetrics({ register: this.registry });
    // prom-client names three gauges *_total, which `promtool check metrics` rejects (a _total suffix
    // promises a counter); the same totals remain, by type, in nodejs_active_{handles,requests,resources}.
    for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
  }

  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';

  /** Writes one scrape to the sink, in chunks; one render at a time (overlapping scrapes queue). */
  render(sink: TextSink): Promise<void> {
    const run = this.queue.then(() => this.renderNow(sink));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async renderNow(sink: TextSink): Promise<void> {
    const t0 = process.hrtime.bigint();
    await writeTable(await this.sources.table(), sink);
    const w = new ExpositionWriter();
    writeHealth(w, this.sources.health);
    writeVrrp(w, this.sources.vrrp);
    writeConnTable(w, this.sources.conntable);
    writeDaemon(w, this.sources.counters, this.lastRenderSeconds);
    sink.write(w.text() + await this.registry.metrics());
    this.lastRenderSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  }
}

/** A sink that collects the text (tests, and callers that want one string). */
export async function renderToString(r: MetricsRenderer): Promise<string> {
  const parts: string[] = [];
  await r.render({ write: (c) => { parts.push(c); }, pause: () => yieldTurn() });
  return parts.join('');
}
