/**
 * The one benchmark report: figures each bench prints as `@figure {json}` lines (lvsd's figure beside its
 * anchor's from the same run), `@skip reason` lines for what this machine cannot run, and the bench's own
 * text. Out: Markdown, JSON and one PNG bar chart per family (lvsd blue beside the anchor grey, each pair
 * scaled to its larger value, so the chart shows ratios whatever the units).
 */
import { Raster } from './png.js';

export interface Figure {
  readonly family: string;
  readonly name: string;
  readonly unit: string;
  readonly lvsd: number;
  readonly anchor: number | null;
  readonly anchorName: string | null;
  /** 'higher' when more is better (requests/s), 'lower' for times. */
  readonly better: 'higher' | 'lower';
}

export interface BenchRun {
  readonly bench: string;
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly figures: readonly Figure[];
  readonly skipped: readonly string[];
  readonly text: string;
}

export interface Report {
  readonly schema: 'lvsd-bench/1';
  readonly node: string;
  readonly startedAt: string;
  readonly runs: readonly BenchRun[];
}

const isFigure = (v: unknown): v is Figure => {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return typeof f.family === 'string' && typeof f.name === 'string' && typeof f.unit === 'string' && typeof f.lvsd === 'number' &&
    (f.anchor === null || typeof f.anchor === 'number') && (f.anchorName === null || typeof f.anchorName === 'string') &&
    (f.better === 'higher' || f.better === 'lower');
};

/** Splits a bench's stdout into figures, skip reasons and the rest; a malformed @figure line stays as text. */
export function parseBenchOutput(bench: string, seconds: number, exitCode: number | null, stdout: string): BenchRun {
  const figures: Figure[] = [];
  const skipped: string[] = [];
  const text: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@skip ')) skipped.push(line.slice(6).trim());
    else if (line.startsWith('@figure ')) {
      let v: unknown = null;
      try { v = JSON.parse(line.slice(8)); } catch { v = null; }
      if (isFigure(v)) figures.push(v);
      else text.push(`(unreadable figure) ${line}`);
    } else text.push(line);
  }
  return { bench, seconds, exitCode, figures, skipped, text: text.join('\n').trim() };
}

/** lvsd relative to the anchor, > 1 meaning lvsd is better whichever way "better" points. */
export function ratio(f: Figure): number | null {
  if (f.anchor === null || f.anchor === 0 || f.lvsd === 0) return null;
  return f.better === 'higher' ? f.lvsd / f.anchor : f.anchor / f.lvsd;
}

const num = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

export function markdown(r: Report): string {
  const out = [`# lvsd benchmark report`, '', `node ${r.node}, started ${r.startedAt}. Ratio > 1: lvsd better than its anchor.`, ''];
  const figures = r.runs.flatMap((run) => run.figures);
  for (const family of [...new Set(figures.map((f) => f.family))]) {
    out.push(`## ${family}`, '', `![${family}](${chartFile(family)})`, '', '| figure | unit | lvsd | anchor | anchor value | ratio |', '|---|---|---|---|---|---|');
    for (const f of figures.filter((x) => x.family === family)) {
      const q = ratio(f);
      out.push(`| ${f.name} | ${f.unit} | ${num(f.lvsd)} | ${f.anchorName ?? '-'} | ${f.anchor === null ? '-' : num(f.anchor)} | ${q === null ? '-' : q.toFixed(2)} |`);
    }
    out.push('');
  }
  out.push('## Runs', '');
  for (const run of r.runs) {
    out.push(`### ${run.bench} (${run.seconds.toFixed(1)} s, exit ${run.exitCode ?? 'killed'})`, '');
    for (const s of run.skipped) out.push(`- skipped: ${s}`);
    if (run.text) out.push('', '```', run.text, '```');
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export const chartFile = (family: string): string => `chart-${family.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.png`;

const LVSD: readonly [number, number, number] = [0x1f, 0x6f, 0xd0];
const ANCHOR: readonly [number, number, number] = [0x99, 0x99, 0x99];

/** One PNG per family: a pair of bars per figure. */
export function charts(r: Report): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const figures = r.runs.flatMap((run) => run.figures);
  for (const family of [...new Set(figures.map((f) => f.family))]) {
    const fs = figures.filter((f) => f.family === family);
    const bar = 24;
    const gap = 16;
    const h = 200;
    const img = new Raster(gap + fs.length * (2 * bar + gap), h + 20, [255, 255, 255]);
    fs.forEach((f, i) => {
      const top = Math.max(f.lvsd, f.anchor ?? 0) || 1;
      const x = gap + i * (2 * bar + gap);
      const hl = Math.round((f.lvsd / top) * h);
      img.fill(x, 10 + h - hl, bar, hl, LVSD);
      if (f.anchor !== null) {
        const ha = Math.round((f.anchor / top) * h);
        img.fill(x + bar, 10 + h - ha, bar, ha, ANCHOR);
      }
    });
    img.fill(0, 10 + h, img.width, 1, [0, 0, 0]);
    out.set(chartFile(family), img.png());
  }
  return out;
}
