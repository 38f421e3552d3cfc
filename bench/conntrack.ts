/**
 * Connection table: inserts/s, lookups/s and bytes per IPv4 entry for lvsd's ConnTable at 1 M and
 * 10 M entries, beside the `lru-cache` package (the anchor: would a general-purpose cache do?)
 * measured in the same run. Targets from the issue: ≤ 64 bytes per IPv4 entry, ≥ 10 M lookups/s.
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/conntrack.js [--sizes=100000,1000000,10000000] [--lru=1000000]
 *
 * --expose-gc is required: bytes/entry is the growth of process.memoryUsage() (heapUsed +
 * arrayBuffers) across the fill, between forced collections. lru-cache runs at one size only
 * (--lru, 1 M): at the ~300 bytes/entry it shows there, 10 M would take ~3 GB of V8 heap, near Node's
 * default heap limit, and most of the time budget. Keys are built from the flow for every
 * operation (what a packet plane does with a header). Columns: lookups/s draws hits uniformly over
 * all entries (the worst case for caches); hot 1 % draws them from a fixed 1 % of the entries
 * spread over the table (a working set); the batched column is lvsd's lookupMany().
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { LRUCache } from 'lru-cache';
import { ConnTable, FlowKey } from '../src/dataplane/conntrack/index.js';
import type { SchedDest } from '../src/dataplane/sched/types.js';

const VIP = 0xc0a80001;
const gc = (globalThis as { gc?: () => void }).gc;

/** Flow i: a scattered client address (odd multiplier: a bijection on u32) and a client port. */
const caddrOf = (i: number) => Math.imul(i, 0x9e3779b1) >>> 0;
const cportOf = (i: number) => 1024 + (i & 0x3fff);

/** Numerical Recipes' 32-bit LCG: a cheap seeded stream of indexes. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0);
}

/** Heap + ArrayBuffer bytes in use, after collections and a pause for V8's background ArrayBuffer sweeper. */
async function memory(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((r) => setTimeout(r, 30));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Row {
  readonly name: string;
  readonly entries: number;
  readonly insertsPerSec: number;
  /** Hits, keys drawn uniformly from all entries (the worst case for caches). */
  readonly uniformPerSec: number;
  /** lvsd: the same through lookupMany() in batches of BATCH; lru-cache: with keys built beforehand. */
  readonly batchedPerSec: number;
  /** Hits, keys drawn from a fixed 1 % of the entries (a hot working set, as real traffic has). */
  readonly hotPerSec: number;
  readonly bytesPerEntry: number;
}

const BATCH = 32;

/** Results of timed calls are summed here so the compiler cannot drop the work. */
export let sink = 0;

/** Times `ops` calls of `fn()` after a short warm-up. */
function rate(ops: number, fn: () => number): number {
  for (let i = 0; i < Math.min(ops, 200_000); i++) sink += fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) sink += fn();
  return ops / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** Draws flow indexes: uniform over n, or over a fixed hot 1 % of them. */
function draw(n: number, hot: boolean, seed: number): () => number {
  const next = lcg(seed);
  const span = hot ? Math.max(1, Math.floor(n / 100)) : n;
  const stride = hot ? 97 : 1; // the hot flows are spread over the whole table
  return () => (Math.floor((next() / 2 ** 32) * span) * stride) % n;
}

async function measureLvsd(n: number): Promise<Row> {
  const dests: SchedDest[] = Array.from({ length: 16 }, (_, id) => ({
    id, addrFold: id, port: 80, weight: 1, lastWeight: 1, activeConns: 0, inactConns: 0, persistConns: 0,
    overloaded: false, available: true, uThreshold: 0, lThreshold: 0,
  }));
  const before = await memory();
  const table = new ConnTable({
    capacity: n, initialCapacity: n, now: 0, seed: 0x5eed,
    resolveDest: (id) => dests[id], onDestChange: () => undefined,
  });
  const key = new FlowKey();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) table.open(key.setV4(6, caddrOf(i), cportOf(i), VIP, 80), i & 15, 0, 0);
  const insertsPerSec = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  const bytesPerEntry = ((await memory()) - before) / n;
  if (table.size !== n) throw new Error(`lvsd table holds ${table.size} of ${n}`);
  const ops = Math.min(n, 5_000_000);
  const lookup = (pick: () => number) => () => {
    const i = pick();
    const ref = table.lookup(key.setV4(6, caddrOf(i), cportOf(i), VIP, 80));
    if (ref < 0) throw new Error('a lookup missed');
    return ref;
  };
  const keys = Array.from({ length: BATCH }, () => new FlowKey());
  const out = new Int32Array(BATCH);
  const pickBatch = draw(n, false, 3);
  const batched = () => {
    for (let q = 0; q < BATCH; q++) {
      const i = pickBatch();
      keys[q]!.setV4(6, caddrOf(i), cportOf(i), VIP, 80);
    }
    table.lookupMany(keys, BATCH, out);
    if (out.includes(-1)) throw new Error('a lookup missed');
    return out[0]!;
  };
  return {
    name: 'lvsd ConnTable', entries: n, insertsPerSec, bytesPerEntry,
    uniformPerSec: rate(ops, lookup(draw(n, false, 1))),
    batchedPerSec: rate(Math.ceil(ops / BATCH), batched) * BATCH,
    hotPerSec: rate(ops, lookup(draw(n, true, 2))),
  };
}

interface LruEntry { dest: number; service: number; state: number; expires: number }

async function measureLru(n: number): Promise<Row> {
  const flowKey = (i: number) => `6:${caddrOf(i)}:${cportOf(i)}:${VIP}:80`;
  const before = await memory();
  const lru = new LRUCache<string, LruEntry>({ max: n });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) lru.set(flowKey(i), { dest: i & 15, service: 0, state: 0, expires: 3000 });
  const insertsPerSec = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  const bytesPerEntry = ((await memory()) - before) / n;
  if (lru.size !== n) throw new Error(`lru-cache holds ${lru.size} of ${n}`);
  const ops = Math.min(n, 2_000_000);
  const lookup = (pick: () => number) => () => lru.get(flowKey(pick()))!.dest;
  const uniformPerSec = rate(ops, lookup(draw(n, false, 1)));
  const hotPerSec = rate(ops, lookup(draw(n, true, 2)));
  const keys = Array.from({ length: n }, (_, i) => flowKey(i));
  const pick = draw(n, false, 3);
  const prebuiltPerSec = rate(ops, () => lru.get(keys[pick()]!)!.dest);
  return { name: 'lru-cache (npm)', entries: n, insertsPerSec, bytesPerEntry, uniformPerSec, hotPerSec, batchedPerSec: prebuiltPerSec };
}

/** The machine's floor: ns per independent random 4-byte read from a buffer of `bytes` (no table logic). */
function randomReadNs(bytes: number): number {
  const a = new Int32Array(bytes / 4);
  a.fill(1);
  const next = lcg(9);
  const ops = 5_000_000;
  return 1e9 / rate(ops, () => a[Math.floor((next() / 2 ** 32) * a.length)]!);
}

function fmtRate(x: number): string {
  return `${(x / 1e6).toFixed(2)} M/s`;
}

function thp(): string {
  try {
    return /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  if (!gc) {
    process.stderr.write('run with node --expose-gc (bytes/entry needs forced collections)\n');
    process.exit(2);
  }
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sizes = (arg('sizes') ?? '100000,1000000,10000000').split(',').map(Number);
  const lruSize = Number(arg('lru') ?? 1_000_000);
  const started = Date.now();
  const load = loadavg()[0]!.toFixed(2);
  const lru = await measureLru(lruSize);
  const rows: Row[] = [lru];
  await measureLvsd(50_000); // warm-up: compile the table's code before the first reported size
  for (const n of sizes) rows.push(await measureLvsd(n));

  const head = ['table', 'entries', 'inserts/s', 'lookups/s', `batched ×${BATCH} *`, 'hot 1 %', 'bytes/entry'];
  const body = rows.map((r) => [
    r.name, r.entries.toLocaleString('en-US'), fmtRate(r.insertsPerSec), fmtRate(r.uniformPerSec),
    fmtRate(r.batchedPerSec), fmtRate(r.hotPerSec), r.bytesPerEntry.toFixed(1),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const line = (cells: string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ');
  const out = [line(head), ...body.map(line)];
  out.push(`* lvsd: lookupMany() in batches of ${BATCH}; lru-cache: keys built beforehand (its best case)`, '');
  const mine = rows.find((r) => r !== lru && r.entries === lru.entries) ?? rows[1]!;
  const x = (a: number, b: number) => `×${(a / b).toFixed(1)}`;
  out.push(`lvsd / lru-cache at ${lru.entries.toLocaleString('en-US')}: inserts ${x(mine.insertsPerSec, lru.insertsPerSec)}, ` +
    `lookups ${x(mine.uniformPerSec, lru.uniformPerSec)} (batched vs prebuilt keys ${x(mine.batchedPerSec, lru.batchedPerSec)}), ` +
    `hot ${x(mine.hotPerSec, lru.hotPerSec)}, bytes/entry ×${(mine.bytesPerEntry / lru.bytesPerEntry).toFixed(2)}`);
  const verdict = (r: Row) => {
    const best = Math.max(r.uniformPerSec, r.batchedPerSec);
    return `${r.name} at ${r.entries.toLocaleString('en-US')}: ${r.bytesPerEntry <= 64 ? 'meets' : 'misses'} ≤ 64 B, ` +
      `${best >= 10e6 ? 'meets' : 'misses'} ≥ 10 M/s uniform, ${r.hotPerSec >= 10e6 ? 'meets' : 'misses'} it hot`;
  };
  out.push(...rows.map(verdict));
  out.push(`lru-cache run at ${lruSize.toLocaleString('en-US')} only (heap; see the header)`);
  out.push(`machine floor: one random read from a 64 MiB buffer costs ${randomReadNs(64 << 20).toFixed(1)} ns ` +
    `(4 KiB pages: transparent huge pages are ${thp()})`);
  out.push(`(IPv4 TCP keys built per lookup, all hits; lvsd preallocated to capacity; load average ${load} at start; ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
