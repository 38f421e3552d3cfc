// `npm test`: the static checks, then every test tier in one tap run, then the plain
// "N passed, N failed, N skipped" line CI reads (tap prints only its own summary).
//   1. lint: the dependency rule of docs/ARCHITECTURE.md (eslint.config.js); a violation fails the run.
//   2. type-check: src/, bench/ and test/ together (tsconfig.test.json); tap's loader does not type-check.
//   3. the tiers (default test/unit test/privileged test/fuzz test/kernel, or the paths given as arguments).
// Every skip is listed with its reason after the run: tap's terse reporter hides them. With
// LVSD_TEST_NO_SKIP=1 (set by .ci/run: CI is root with every package installed) any skip fails the run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ['test/unit', 'test/privileged', 'test/fuzz', 'test/kernel'];
const noSkip = process.env.LVSD_TEST_NO_SKIP === '1';
/** tap writes each test file's raw TAP here; cleared first so only this run's files are read. */
const RESULTS = join(root, '.tap', 'test-results');
const say = (m) => process.stdout.write(`test: ${m}\n`);

function step(name, cmd, args) {
  say(`${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync('npx', [cmd, ...args], { cwd: root, stdio: 'inherit' });
  if (r.status === 0) return;
  say(`${name} failed (exit ${r.status ?? r.signal}): see the messages above`);
  process.stdout.write('0 passed, 1 failed, 0 skipped\n');
  process.exit(1);
}

function tapFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tapFiles(join(dir, e.name)) : e.name.endsWith('.tap') ? [join(dir, e.name)] : []));
}

/** Every `# SKIP` / `# TODO` point (and `1..0 # reason` plan) in a file's TAP, with its subtest path. */
function skipsIn(file) {
  const name = relative(RESULTS, file).replace(/\.tap$/, '');
  const open = [];
  const found = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const depth = Math.floor((line.length - line.trimStart().length) / 4);
    const text = line.trim();
    const sub = /^# Subtest: (.*)$/.exec(text);
    if (sub) {
      open.length = depth;
      open[depth] = sub[1];
      continue;
    }
    const point = /^(?:not )?ok \d+(?: - (.*?))? # (SKIP|TODO)\b\s*(.*)$/i.exec(text);
    const plan = /^1\.\.0 # (?:SKIP\b\s*)?(.*)$/i.exec(text);
    if (point) found.push({ where: [name, ...open.slice(0, depth), point[1] ?? ''].join(' > '), kind: point[2].toUpperCase(), why: point[3] });
    else if (plan) found.push({ where: [name, ...open.slice(0, depth)].join(' > '), kind: 'SKIP', why: plan[1] });
  }
  return found;
}

step('lint', 'eslint', ['src']);
step('type-check', 'tsc', ['-p', 'tsconfig.test.json']);

if (process.getuid?.() !== 0) say('not root: the privileged tier will skip (it needs root and network namespaces)');
// One file at a time: the kernel tier's user-mode Linux guest runs its scenarios against time budgets, and the
// privileged tier's keepalived, nginx and namespace tests beside it slowed the guest past them (CI 12:10 run).
rmSync(RESULTS, { recursive: true, force: true });
const child = spawn('npx', ['tap', '--jobs=1', ...tiers], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
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
  const skips = tapFiles(RESULTS).sort().flatMap(skipsIn);
  if (skips.length > 0) {
    process.stdout.write(`\nskipped (${skips.length}):\n`);
    for (const s of skips) process.stdout.write(`  ${s.kind} ${s.where}: ${s.why || '(no reason given)'}\n`);
  }
  const skipped = (c.skip ?? 0) + (c.todo ?? 0);
  // tap's count decides, so a skip this parser missed still fails a no-skip run.
  if (skipped !== skips.length) say(`tap counted ${skipped} skipped, its result files show ${skips.length}`);
  process.stdout.write(`${c.pass ?? 0} passed, ${c.fail ?? 0} failed, ${skipped} skipped\n`);
  if (noSkip && Math.max(skipped, skips.length) > 0) {
    say(`LVSD_TEST_NO_SKIP=1: ${Math.max(skipped, skips.length)} test(s) skipped (listed above); here every tier must run, so that is a failure`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
