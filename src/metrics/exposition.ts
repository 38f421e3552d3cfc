/**
 * Prometheus text exposition format 0.0.4 (prometheus/docs exposition_formats.md): one # HELP and # TYPE
 * per family, then its samples, all of a family together. lvsd writes the table-sized families itself
 * instead of through prom-client metric objects: 10,000 services × 10 real servers is 100,000 series per
 * family, and writing them straight from the snapshot in slices lets the event loop (which runs the proxy
 * plane) breathe between slices — bench/metrics-scrape.ts measures both ways.
 */
import type { MetricDef } from './definitions.js';

/** Label value escaping: backslash, double quote and line feed (exposition_formats.md "Text format details"). */
export function escapeLabelValue(v: string): string {
  return /[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;
}

/** Go ParseFloat spellings for the non-finite values; finite numbers print as JavaScript does (1e+21 parses). */
export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Collects the text of one scrape; a family's header is written once, before its first sample. */
export class ExpositionWriter {
  private readonly parts: string[] = [];

  family(d: MetricDef): void {
    this.parts.push(`# HELP ${d.name} ${escapeHelp(d.help)}\n# TYPE ${d.name} ${d.type}\n`);
  }

  /** One sample; `values` are in the order of d.labels. */
  sample(d: MetricDef, values: readonly string[], value: number): void {
    let s = d.name;
    if (values.length > 0) {
      s += '{';
      for (let i = 0; i < values.length; i++) s += `${i > 0 ? ',' : ''}${d.labels[i]!}="${escapeLabelValue(values[i]!)}"`;
      s += '}';
    }
    this.parts.push(`${s} ${formatValue(value)}\n`);
  }

  /** A family with one unlabelled sample. */
  single(d: MetricDef, value: number): void {
    this.family(d);
    this.sample(d, [], value);
  }

  text(): string {
    return this.parts.join('');
  }
}
