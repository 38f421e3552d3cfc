// `npm run bench`: runs every benchmark in bench/ one after another (never in parallel: the machine has
// two shared cores), each bounded in time, with progress on a TTY, and writes one report in bench/out/: report.md,
// report.json and a PNG chart per family (bench/report/build.ts). A bench says what it cannot run
// here with `@skip reason` lines and gives its figures as `@figure {json}` lines.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { charts, markdown, parseBenchOutput, type Report } from './report/build.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js')
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
/** Per bench; a bench that runs longer is killed and reported so. */
const BENCH_TIMEOUT_MS = Number(process.env.LVSD_BENCH_TIMEOUT_S ?? 600) * 1000;
const tty = process.stderr.isTTY;

const startedAt = new Date().toISOString();
const runs = files.map((f, i) => {
  const name = f.replace(/\.js$/, '');
  if (tty) process.stderr.write(`\r\x1b[K[${i + 1}/${files.length}] ${name} …`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(here, f)], { encoding: 'utf8', maxBuffer: 64 << 20, timeout: BENCH_TIMEOUT_MS });
  const run = parseBenchOutput(name, (Date.now() - started) / 1000, r.status, `${r.stdout ?? ''}${r.error ? `\n@skip killed: ${r.error.message}` : ''}`);
  if (!tty) process.stdout.write(`${name}: ${run.seconds.toFixed(1)} s, ${run.figures.length} figures, exit ${r.status}\n`);
  return r.stderr ? { ...run, text: `${run.text}\n${r.stderr}`.trim() } : run;
});
if (tty) process.stderr.write('\r\x1b[K');

const report: Report = { schema: 'lvsd-bench/1', node: process.version, startedAt, runs };
const outDir = path.join(here, '..', '..', 'bench', 'out');
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'report.md'), markdown(report));
writeFileSync(path.join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
for (const [file, png] of charts(report)) writeFileSync(path.join(outDir, file), png);
process.stdout.write(`report written to ${outDir}/report.md (and report.json, chart-*.png)\n`);
