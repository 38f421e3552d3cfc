// `npm run bench`: runs every figure in bench/ one after another (never in parallel: the machine has
// two shared cores) and writes the report to bench/report.txt as well as stdout.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js')
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

let report = `lvsd benchmarks — node ${process.version}, ${new Date().toISOString()}\n`;
for (const f of files) {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(here, f)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const section = `\n== ${f.replace(/\.js$/, '')} (${((Date.now() - started) / 1000).toFixed(1)} s, exit ${r.status})\n${r.stdout}${r.stderr ? `\n${r.stderr}` : ''}`;
  process.stdout.write(section);
  report += section;
}
const out = path.join(here, '..', '..', 'bench', 'report.txt');
writeFileSync(out, report);
process.stdout.write(`\nreport written to ${out}\n`);
