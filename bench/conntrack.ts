/**
 * Connection table: inserts/s, lookups/s and bytes per IPv4 entry for lvsd's ConnTable at 1 M and
 * 10 M entries, beside the `lru-cache` package (the anchor: would a general-purpose cache do?)
 * measured in the same run. Targets from the issue: ≤ 64 bytes per IPv4 entry, ≥ 10 M lookups/s.
 *
 *   npx tsc -p tsconfig.json && node --expose-gc dist/bench/conntrack.js [--sizes=1000000,10000000]
 *
 * --expose-gc is required: bytes/entry is the growth of process.memoryUsage() (heapUsed +
 * arrayBuffers) across the fill, between forced collections. lru-cache runs at 1 M only: at 10 M
 * its string keys and entry objects need several GB of V8 heap, past Node's default heap limit.
 * Keys are built from the flow for every operation (what a packet plane does with a header).
 */
import { LRUCache } from 'lru-cache';
import { ConnTable, FlowKey } from '../src/dataplane/conntrack/index.js';
import type { SchedDest } from '../src/dataplane/sched/types.js';

const VIP = 0xc0a80001;
const gc = (globalThis as { gc?: () => void }).gc;

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : arg.slice(name.length + 3);
}

/** Flow i: a scattered client address (odd multiplier: a bijection on u32) and a client port. */
const caddrOf = (i: number) => Math.imul(i, 0x9e3779b1) >>> 0;
const cportOf = (i: number) => 1024 + (i & 0x3fff);

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

function memory(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Row {
  readonly name: string;
  readonly entries: number;
  readonly insertsPerSec: number;
  readonly lookupsPerSec: number;
  readonly bytesPerEntry: number;
}

/** Times `ops` calls of `fn(i)` after a short warm-up; returns ops/s and a sink against dead-code elimination. */
function rate(ops: number, fn: (i: number) => number): { perSec: number; sink: number } {
  let sink = 0;
  for (let i = 0; i < Math.min(ops, 200_000); i++) sink += fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) sink += fn(i);
  const ns = Number(process.hrtime.bigint() - t0);
  return { perSec: ops / (ns / 1e9), sink };
}

function measureLvsd(n: number): Row {
  const dests: SchedDest[] = Array.from({ length: 16 }, (_, id) => ({
    id, addrFold: id, port: 80, weight: 1, lastWeight: 1, activeConns: 0, inactConns: 0, persistConns: 0,
    overloaded: false, available: true, uThreshold: 0, lThreshold: 0,
  }));
  const before = memory();
  const table = new ConnTable({
    capacity: n, initialCapacity: n, now: 0, seed: 0x5eed,
    resolveDest: (id) => dests[id], onDestChange: () => undefined,
  });
  const key = new FlowKey();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) table.open(key.setV4(6, caddrOf(i), cportOf(i), VIP, 80), i & 15, 0, 0);
  const insertsPerSec = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  const bytesPerEntry = (memory() - before) / n;
  if (table.size !== n) throw new Error(`lvsd table holds ${table.size} of ${n}`);
  const next = xorshift(n);
  const look = rate(Math.min(n, 5_000_000), () => {
    const i = next() % n;
    return table.lookup(key.setV4(6, caddrOf(i), cportOf(i), VIP, 80));
  });
  if (look.sink < 0) throw new Error('a lookup missed');
  return { name: 'lvsd ConnTable', entries: n, insertsPerSec, lookupsPerSec: look.perSec, bytesPerEntry };
}

interface LruEntry { dest: number; service: number; state: number; expires: number }

function measureLru(n: number): { row: Row; prebuiltLookupsPerSec: number } {
  const flowKey = (i: number) => `6:${caddrOf(i)}:${cportOf(i)}:${VIP}:80`;
  const before = memory();
  const lru = new LRUCache<string, LruEntry>({ max: n });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) lru.set(flowKey(i), { dest: i & 15, service: 0, state: 0, expires: 3000 });
  const insertsPerSec = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  const bytesPerEntry = (memory() - before) / n;
  if (lru.size !== n) throw new Error(`lru-cache holds ${lru.size} of ${n}`);
  const next = xorshift(n);
  const ops = Math.min(n, 2_000_000);
  const look = rate(ops, () => lru.get(flowKey(next() % n))!.dest);
  const keys = Array.from({ length: n }, (_, i) => flowKey(i));
  const pre = rate(ops, () => lru.get(keys[next() % n]!)!.dest);
  if (look.sink < 0 || pre.sink < 0) throw new Error('unreachable');
  return {
    row: { name: 'lru-cache (npm)', entries: n, insertsPerSec, lookupsPerSec: look.perSec, bytesPerEntry },
    prebuiltLookupsPerSec: pre.perSec,
  };
}

function fmtRate(x: number): string {
  return `${(x / 1e6).toFixed(2)} M/s`;
}

function main(): void {
  if (!gc) {
    process.stderr.write('run with node --expose-gc (bytes/entry needs forced collections)\n');
    process.exit(2);
  }
  const sizes = option('sizes', '1000000,10000000').split(',').map(Number);
  const started = Date.now();
  const lru = measureLru(sizes[0]!);
  const rows: Row[] = [lru.row];
  for (const n of sizes) rows.push(measureLvsd(n));

  const head = ['table', 'entries', 'inserts/s', 'lookups/s', 'bytes/entry'];
  const body = rows.map((r) => [r.name, r.entries.toLocaleString('en-US'), fmtRate(r.insertsPerSec), fmtRate(r.lookupsPerSec), r.bytesPerEntry.toFixed(1)]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const line = (cells: string[]) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join('  ');
  const out = [line(head), ...body.map(line)];
  const mine = rows.find((r) => r.name.startsWith('lvsd') && r.entries === lru.row.entries)!;
  out.push('');
  out.push(`lvsd / lru-cache at ${lru.row.entries.toLocaleString('en-US')} entries: lookups ×${(mine.lookupsPerSec / lru.row.lookupsPerSec).toFixed(1)}, ` +
    `inserts ×${(mine.insertsPerSec / lru.row.insertsPerSec).toFixed(1)}, bytes/entry ×${(mine.bytesPerEntry / lru.row.bytesPerEntry).toFixed(2)}`);
  out.push(`lru-cache lookups with keys built beforehand (its best case): ${fmtRate(lru.prebuiltLookupsPerSec)}`);
  const lruOk = lru.row.bytesPerEntry <= 64 && lru.row.lookupsPerSec >= 10e6;
  out.push(`targets ≤ 64 B/entry and ≥ 10 M lookups/s: lru-cache ${lruOk ? 'meets' : 'misses'} them; ` +
    rows.filter((r) => r !== lru.row).map((r) => `lvsd at ${r.entries.toLocaleString('en-US')} ${r.bytesPerEntry <= 64 && r.lookupsPerSec >= 10e6 ? 'meets' : 'misses'}`).join(', '));
  out.push(`(IPv4 keys, TCP, one virtual service; lvsd preallocated to capacity; lookups are hits in random order; ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
