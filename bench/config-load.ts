/**
 * Seconds to check a configuration of N real servers in one virtual_server: `lvsd -t -f` beside
 * `keepalived --config-test -f` on the same file, same run, and the ratio (issue 11: the resolver was
 * quadratic in the real servers per virtual server).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/config-load.js
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZES = [10_000, 80_000];
const lvsd = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'daemon', 'main.js');

function config(n: number): string {
  const lines = ['virtual_server 10.0.0.1 80 {', '  lb_algo rr', '  lb_kind NAT', '  protocol TCP'];
  for (let i = 0; i < n; i++) lines.push(`  real_server 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} 8080 {`, '    weight 1', '  }');
  return `${lines.join('\n')}\n}\n`;
}

function seconds(cmd: string, args: string[]): string {
  const started = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000 });
  const s = (performance.now() - started) / 1000;
  return r.status === 0 ? s.toFixed(2) : `failed (${r.status ?? r.signal})`;
}

const dir = mkdtempSync(path.join(tmpdir(), 'lvsd-bench-config-'));
try {
  process.stdout.write('real servers   lvsd -t (s)   keepalived -t (s)   ratio\n');
  for (const n of SIZES) {
    const file = path.join(dir, `rs${n}.conf`);
    writeFileSync(file, config(n));
    const ours = seconds(process.execPath, [lvsd, '-t', '-f', file]);
    const theirs = seconds('keepalived', ['--config-test', '-f', file]);
    const ratio = Number(ours) / Number(theirs);
    process.stdout.write(`${String(n).padStart(12)}   ${ours.padStart(11)}   ${theirs.padStart(17)}   ${Number.isFinite(ratio) ? ratio.toFixed(2) : '-'}\n`);
    if (Number.isFinite(ratio)) {
      const figure = { family: 'config load', name: `${n} real servers`, unit: 's', lvsd: Number(ours), anchor: Number(theirs), anchorName: 'keepalived -t', better: 'lower' };
      process.stdout.write(`@figure ${JSON.stringify(figure)}\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
