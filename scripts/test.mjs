// Runs every test tier this machine can run, in one tap run, and ends with the plain
// "N passed, N failed, N skipped" line CI reads (tap prints only its own summary).
// Tiers that need root or packages skip themselves with a printed reason.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ['test/unit', 'test/privileged', 'test/kernel'];
if (process.getuid?.() !== 0) process.stdout.write('test: not root: the privileged tier will skip (it needs root and network namespaces)\n');

const child = spawn('npx', ['tap', ...tiers], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let buf = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (d) => { buf += d; process.stdout.write(d); });
child.on('close', (code) => {
  const m = [...buf.matchAll(/^# \{ (.+) \}\s*$/gm)].pop();
  if (!m) {
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(code || 1);
  }
  const c = Object.fromEntries(m[1].split(', ').map((kv) => kv.split(': ')).map(([k, v]) => [k, Number(v)]));
  process.stdout.write(`${c.pass ?? 0} passed, ${c.fail ?? 0} failed, ${(c.skip ?? 0) + (c.todo ?? 0)} skipped\n`);
  process.exit(code ?? 1);
});
