// Fuzz tier, issue 11 "a config reader with limits": keepalived.conf inputs mutated from test/fixtures and a
// generated table (byte flips, deletions, duplicated blocks, deep nesting, huge numbers, ~SEQ, include loops,
// NUL bytes, long lines) and generated from keywords, each read from real files through the daemon's whole
// path (loadConfig: parse + build, then desiredTable). Every input must come back as diagnostics or a model
// — never a throw — within 2 s of CPU (10 s of wall time: the box is shared) and 200 MB of heap and
// resident growth.
// Deterministic: the seed is printed; LVSD_FUZZ_SEED=N reproduces a run, LVSD_FUZZ_RUNS=N sets its size.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/daemon/config-source.js';
import { desiredTable } from '../../src/reconcile/desired.js';
import { DEFAULT_LIMITS } from '../../src/config/options.js';
import { keepalivedConf } from '../../src/testing/keepalived-conf.js';

const SEED = Number(process.env['LVSD_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env['LVSD_FUZZ_RUNS'] ?? 150);
/** The tier's wall-time cap: a loaded machine runs fewer inputs (the count is printed), never longer. */
const TIER_MS = 45_000;
const MAX_CPU_MS = 2_000;
const MAX_WALL_MS = 10_000;
const MAX_GROWTH = 200 * 1024 * 1024;

/** mulberry32: small, seedable, good enough to pick mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'config', 'broken');
const generated = keepalivedConf(Array.from({ length: 20 }, (_, i) => ({
  addr: `10.1.0.${i + 1}`, port: 80, scheduler: 'wlc', kind: 'NAT' as const,
  servers: Array.from({ length: 5 }, (_, j) => ({ addr: `10.2.${i}.${j + 1}`, port: 8080, weight: j + 1 })),
})));
const seeds: Buffer[] = [Buffer.from(generated), ...readdirSync(FIXTURES).sort().map((f) => readFileSync(path.join(FIXTURES, f)))];

const WORDS = ['virtual_server', 'real_server', 'weight', 'lb_algo', 'rr', 'lb_kind', 'NAT', 'protocol', 'TCP', 'global_defs', 'vrrp_instance',
  'state', 'MASTER', 'interface', 'lo', 'virtual_router_id', 'priority', 'virtual_ipaddress', 'TCP_CHECK', 'connect_timeout', 'include',
  '10.0.0.1', '80', '-1', '4294967296', '$X', '@main', '!', '#', '{', '}', '{', '}', '"', '\\', '~SEQ(i,1,3)', '$X=a $X'];

interface Input { readonly name: string; readonly main: Buffer; readonly extra?: Readonly<Record<string, string>> }

type Mutator = (b: Buffer, r: () => number) => Input;
const at = (r: () => number, n: number): number => Math.floor(r() * n);
const lines = (b: Buffer): string[] => b.toString('latin1').split('\n');
const fromLines = (ls: string[]): Buffer => Buffer.from(ls.join('\n'), 'latin1');

const mutators: Record<string, Mutator> = {
  'byte flips': (b, r) => {
    const c = Buffer.from(b);
    for (let i = 1 + at(r, 20); i > 0 && c.length > 0; i--) c[at(r, c.length)] = at(r, 256);
    return { name: 'byte flips', main: c };
  },
  deletions: (b, r) => {
    let c = b;
    for (let i = 1 + at(r, 5); i > 0 && c.length > 0; i--) {
      const s = at(r, c.length);
      c = Buffer.concat([c.subarray(0, s), c.subarray(s + at(r, 200))]);
    }
    return { name: 'deletions', main: c };
  },
  'duplicated blocks': (b, r) => {
    const ls = lines(b);
    const s = at(r, ls.length);
    const block = ls.slice(s, s + 1 + at(r, 50));
    // At most ~8 MB of copies: the 64 MiB byte budget itself is test/unit/config/limits.test.ts's.
    const size = block.reduce((n, l) => n + l.length + 1, 1);
    const copies = Array.from({ length: 1 + at(r, Math.max(1, Math.min(2000, Math.floor(8e6 / size)))) }, () => block).flat();
    ls.splice(at(r, ls.length), 0, ...copies);
    return { name: 'duplicated blocks', main: fromLines(ls) };
  },
  'deep nesting': (b, r) => {
    const ls = lines(b);
    const depth = 1 + at(r, 200_000);
    const open = r() < 0.5 ? '{\n'.repeat(depth) : 'virtual_server 10.0.0.1 80 {\n'.repeat(Math.min(depth, 20_000));
    ls.splice(at(r, ls.length), 0, open);
    return { name: 'deep nesting', main: fromLines(ls) };
  },
  'huge numbers': (b, r) => {
    const nines = '9'.repeat(10 + at(r, 100_000));
    let left = 50; // at most 50 runs replaced (5 MB), whatever the input holds
    return { name: 'huge numbers', main: Buffer.from(b.toString('latin1').replace(/\d+/g, (d) => (left > 0 && r() < 0.3 && left-- > 0 ? nines : d)), 'latin1') };
  },
  // Products past the statement budget (2,000,000 lines) are refused before expanding when one generator
  // says so, but nested ones expand up to it: ~5 µs a line, 10 s on this 2-core box — past the 2 s budget
  // by design of DEFAULT_LIMITS.maxStatements, so the nested forms here stay near 100,000 lines.
  '~SEQ': (b, r) => {
    const forms = [
      '~SEQ(i, 0, 999999999) real_server 10.0.0.1 $i',
      '~SEQ(a, 1, 300) ~SEQ(b, 1, 300) weight $a$b',
      // The 60 KB parameter under ~SEQ × ~SEQ 1000 × 1000 stops at the 128 MiB expansion budget after
      // 2-5 s (limits.test.ts has it); a 1 KB one under 100 × 100 expands 10 MB.
      `$P=${'x'.repeat(1_000)}\n~SEQ(a, 1, 100) ~SEQ(b, 1, 100) $P`,
      '$R=$R$R\n$R',
      '~SEQ(i, 1, 0, 1) x',
      '~LST(i, a, b, c) ~SEQ(j, 1, 30000) real_server 10.0.$i.1 $j',
    ];
    return { name: '~SEQ', main: Buffer.concat([b, Buffer.from(`\n${forms[at(r, forms.length)]}\n`)]) };
  },
  'include loops': (b, r) => {
    const kind = at(r, 3);
    const head = kind === 0 ? 'include main.conf\n' : kind === 1 ? 'include a.conf\n' : 'include *\n';
    return { name: 'include loops', main: Buffer.concat([Buffer.from(head), b]), extra: { 'a.conf': 'include b.conf\n', 'b.conf': 'include a.conf\ninclude main.conf\n' } };
  },
  NUL: (b, r) => {
    const s = at(r, b.length + 1);
    return { name: 'NUL', main: Buffer.concat([b.subarray(0, s), Buffer.alloc(1 + at(r, 4 * 1024 * 1024)), b.subarray(s)]) };
  },
  'long line': (b, r) => ({ name: 'long line', main: Buffer.concat([b, Buffer.from(`\n${'a '.repeat(1 + at(r, 4 * 1024 * 1024))}\n`)]) }),
  generated: (_b, r) => ({ name: 'generated', main: Buffer.from(Array.from({ length: 1 + at(r, 5000) }, () => WORDS[at(r, WORDS.length)]).join(r() < 0.2 ? '\n' : ' ')) }),
};
const names = Object.keys(mutators);

t.test(`config reader fuzz (seed ${SEED})`, async (t) => {
  t.comment(`seed ${SEED}: LVSD_FUZZ_SEED=${SEED} reproduces this run`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-fuzz-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const r = prng(SEED);
  const failures: string[] = [];
  const tierEnd = performance.now() + TIER_MS;
  let ran = 0;
  let slowest = 0;
  let mostHeap = 0;
  const seen = new Set<string>();
  for (; ran < RUNS && performance.now() < tierEnd; ran++) {
    let input: Input = { name: 'seed', main: seeds[at(r, seeds.length)]! };
    const steps: string[] = [];
    const picked = Array.from({ length: 1 + at(r, 2) }, () => names[at(r, names.length)]!);
    // A generator goes last: copied by 'duplicated blocks' it expands up to the 2,000,000-line statement
    // budget, seconds of CPU by design of that budget (see '~SEQ' above).
    picked.sort((a, b) => Number(a === '~SEQ') - Number(b === '~SEQ'));
    for (const m of picked) {
      input = { ...mutators[m]!(input.main, r), extra: { ...input.extra, ...mutators[m]!(Buffer.alloc(0), prng(0)).extra } };
      steps.push(m);
    }
    steps.forEach((s) => seen.add(s));
    const main = path.join(dir, 'main.conf');
    writeFileSync(main, input.main);
    for (const [f, text] of Object.entries(input.extra ?? {})) writeFileSync(path.join(dir, f), text);
    const where = `input ${ran} (${steps.join(' + ')}, ${input.main.length} bytes)`;
    const heap0 = process.memoryUsage().heapUsed;
    const rss0 = process.memoryUsage.rss();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    try {
      const loaded = loadConfig(main, 'main');
      if (loaded.config) desiredTable(loaded.config);
      const ms = performance.now() - t0;
      const used = process.cpuUsage(cpu0);
      const cpuMs = (used.user + used.system) / 1000;
      const heap = process.memoryUsage().heapUsed - heap0;
      const rss = process.memoryUsage.rss() - rss0;
      slowest = Math.max(slowest, cpuMs);
      mostHeap = Math.max(mostHeap, heap, rss);
      if (cpuMs > MAX_CPU_MS || ms > MAX_WALL_MS) failures.push(`${where}: ${cpuMs.toFixed(0)} ms of CPU, ${ms.toFixed(0)} ms of wall time`);
      if (heap > MAX_GROWTH || rss > MAX_GROWTH) failures.push(`${where}: heap +${heap >> 20} MB, rss +${rss >> 20} MB`);
      // The parse and the build stage each keep maxDiagnostics and count the rest in one more.
      if (loaded.diagnostics.length > 2 * (DEFAULT_LIMITS.maxDiagnostics + 1) + 1) failures.push(`${where}: ${loaded.diagnostics.length} diagnostics kept`);
      if (loaded.config === null && !loaded.diagnostics.some((d) => d.severity === 'error')) failures.push(`${where}: no model and no error`);
    } catch (e) {
      failures.push(`${where}: threw ${(e as Error).stack ?? String(e)}`);
    }
    for (const f of Object.keys(input.extra ?? {})) rmSync(path.join(dir, f), { force: true });
  }
  t.comment(`${ran} inputs, most CPU ${slowest.toFixed(0)} ms, largest growth ${(mostHeap / 2 ** 20).toFixed(0)} MB; mutations used: ${[...seen].sort().join(', ')}`);
  t.ok(ran >= Math.min(RUNS, 30), `at least 30 inputs ran (${ran})`);
  t.same(failures, [], `every input within ${MAX_CPU_MS} ms of CPU and ${MAX_GROWTH >> 20} MB, no throw (seed ${SEED})`);
});
