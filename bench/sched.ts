/**
 * ns per scheduling decision for every IPVS scheduler: lvsd's implementation beside a straight port of
 * the kernel's algorithm (bench/kernel-linear), measured in the same run on the same workload.
 *
 * Each pick is followed by what the connection table does with it: bind (activeconns or inactconns
 * +1, countersChanged) and, once the table holds 8 connections per real, the unbind of the oldest
 * connection (-1, countersChanged). So the cost of keeping lvsd's trees current is inside the figure.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/sched.js [--ms=150] [--only=wlc,mh]
 */
import { MH_TAB_SIZE } from '../src/dataplane/sched/mh.js';
import { SCHEDULERS } from '../src/dataplane/sched/index.js';
import { SCHEDULER_NAMES } from '../src/model/scheduler.js';
import type { SchedContext, SchedDest, SchedPacket, Scheduler, SchedulerFactory } from '../src/dataplane/sched/types.js';
import { KERNEL_LINEAR } from './kernel-linear/index.js';

const SIZES = [10, 100, 1000, 10_000];
const WEIGHTS = [1, 2, 3, 5, 10];
const PACKETS = 4096;
const CONNS_PER_REAL = 8;
const ROUNDS = 5;

function option(name: string, fallback: string): string {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : arg.slice(name.length + 3);
}

/** xorshift32: cheap, seeded, the same stream for both implementations. */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

function reals(n: number): SchedDest[] {
  return Array.from({ length: n }, (_, i) => {
    const weight = WEIGHTS[i % WEIGHTS.length];
    return {
      id: i + 1, addrFold: (0x0a000000 + i + 1) >>> 0, port: 80, weight, lastWeight: weight,
      activeConns: 0, inactConns: 0, persistConns: 0, overloaded: false, available: true, uThreshold: 0, lThreshold: 0,
    };
  });
}

function packets(): SchedPacket[] {
  const rnd = xorshift(99);
  return Array.from({ length: PACKETS }, (_, i) => ({
    srcFold: rnd(), srcPort: 1024 + (rnd() % 60000), dstFold: 0xc0000000 + (rnd() % 1024), dstPort: 80, now: i * 10,
  }));
}

interface Workload {
  readonly s: Scheduler;
  readonly ring: (SchedDest | null)[];
  readonly rnd: () => number;
  pos: number;
  picks: number;
}

function workload(factory: SchedulerFactory, n: number): Workload {
  const ctx: SchedContext = { flags: { fallback: false, port: false, flag3: false }, random: xorshift(7), startedAt: 0 };
  const s = factory(ctx);
  s.update(reals(n));
  return { s, ring: new Array<SchedDest | null>(n * CONNS_PER_REAL).fill(null), rnd: xorshift(3), pos: 0, picks: 0 };
}

/** count picks, each with its bind and (in steady state) one unbind. */
function run(w: Workload, pkts: readonly SchedPacket[], count: number): void {
  const { s, ring, rnd } = w;
  for (let i = 0; i < count; i++) {
    const d = s.schedule(pkts[(w.picks + i) & (PACKETS - 1)]);
    const old = ring[w.pos];
    if (old !== null) {
      if (old.activeConns > 0) old.activeConns--;
      else old.inactConns--;
      s.countersChanged(old);
    }
    ring[w.pos] = d;
    if (++w.pos === ring.length) w.pos = 0;
    if (d !== null) {
      if (rnd() % 4 !== 0) d.activeConns++;
      else d.inactConns++;
      s.countersChanged(d);
    }
  }
  w.picks += count;
}

/** Runs picks in batches until `ms` have passed; returns ns per pick. */
function slice(w: Workload, pkts: readonly SchedPacket[], ms: number): number {
  let batch = 16;
  let picks = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms * 1e6) {
    run(w, pkts, batch);
    picks += batch;
    elapsed = Number(process.hrtime.bigint() - start);
    if (elapsed < 2e6) batch *= 2;
  }
  return elapsed / picks;
}

/**
 * Times the two implementations in alternating slices after a warm-up and keeps each one's best
 * slice: on a shared machine the minimum is the figure least disturbed by other work.
 */
function measure(n: number, pkts: readonly SchedPacket[], ms: number, ...factories: SchedulerFactory[]): number[] {
  const loads = factories.map((f) => workload(f, n));
  for (const w of loads) slice(w, pkts, ms / 4);
  const best = loads.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round++) {
    loads.forEach((w, k) => {
      best[k] = Math.min(best[k], slice(w, pkts, ms / ROUNDS));
    });
  }
  return best;
}

function cell(v: number): string {
  return v >= 1000 ? v.toFixed(0) : v.toFixed(1);
}

function main(): void {
  const ms = Number(option('ms', '150'));
  const only = option('only', '').split(',').filter(Boolean);
  const pkts = packets();
  const names = SCHEDULER_NAMES.filter((n) => only.length === 0 || only.includes(n));
  console.log(`IPVS schedulers: ns per pick incl. its bind/unbind bookkeeping; best of ${ROUNDS} alternating slices, ${ms} ms per cell; node ${process.version}`);
  console.log(`weights cycle ${WEIGHTS.join(',')}; ${CONNS_PER_REAL} live connections per real; ${PACKETS} distinct packets`);
  console.log('');
  const header = ['sched', 'reals', 'lvsd ns/pick', 'kernel-port ns/pick', 'kernel/lvsd'];
  console.log(header.map((h, i) => (i < 2 ? h.padEnd(6) : h.padStart(20))).join(' '));
  for (const name of names) {
    for (const n of SIZES) {
      const row = [name.padEnd(6), String(n).padEnd(6)];
      if (name === 'mh' && n > MH_TAB_SIZE) {
        console.log([...row, `n/a: the kernel refuses mh with more than ${MH_TAB_SIZE} dests (EINVAL)`.padStart(20)].join(' '));
        continue;
      }
      const [lvsd, kernel] = measure(n, pkts, ms, SCHEDULERS[name], KERNEL_LINEAR[name]);
      console.log([...row, cell(lvsd).padStart(20), cell(kernel).padStart(20), (kernel / lvsd).toFixed(2).padStart(20)].join(' '));
    }
  }
}

main();
