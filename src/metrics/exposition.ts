/**
 * Prometheus text exposition format 0.0.4 (prometheus/docs exposition_formats.md): one # HELP and # TYPE
 * per family, then its samples, all of a family together. lvsd writes the table-sized families itself
 * instead of through prom-client metric objects: 10,000 services × 10 real servers is 100,000 series per
 * family, and writing them straight from the snapshot in slices (collect-table.ts) lets the event loop
 * (which runs the proxy plane) breathe between slices — bench/metrics-scrape.ts measures both ways.
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

/** The # HELP and # TYPE lines that open a family. */
export function familyHeader(d: MetricDef): string {
  return `# HELP ${d.name} ${escapeHelp(d.help)}\n# TYPE ${d.name} ${d.type}\n`;
}

/** `{a="x",b="y"}` for label names and values in the same order; '' without labels. */
export function labelBlock(names: readonly string[], values: readonly string[]): string {
  if (values.length === 0) return '';
  let s = '{';
  for (let i = 0; i < values.length; i++) s += `${i > 0 ? ',' : ''}${names[i]!}="${escapeLabelValue(values[i]!)}"`;
  return `${s}}`;
}

/** Collects the text of one scrape; a family's header is written once, before its first sample. */
export class ExpositionWriter {
  private readonly parts: string[] = [];

  family(d: MetricDef): void {
    this.parts.push(familyHeader(d));
  }

  /** One sample; `values` are in the order of d.labels. */
  sample(d: MetricDef, values: readonly string[], value: number): void {
    this.labelled(d, labelBlock(d.labels, values), value);
  }

  /** One sample with its label block already made (labelBlock), for families that share the labels. */
  labelled(d: MetricDef, block: string, value: number): void {
    this.parts.push(`${d.name}${block} ${formatValue(value)}\n`);
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
