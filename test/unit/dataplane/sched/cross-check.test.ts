/**
 * Every lvsd scheduler against a straight port of the kernel's algorithm (bench/kernel-linear) over
 * seeded random histories: picks that bind connections, unbinds, overload flips, bursts of counter
 * changes, weight edits, additions and removals. Any difference in a single pick fails.
 */
import t from 'tap';
import { schedulerFactory } from '../../../../src/dataplane/sched/index.js';
import { SCHEDULER_NAMES, type SchedulerName } from '../../../../src/model/scheduler.js';
import type { SchedDest, SchedPacket, Scheduler } from '../../../../src/dataplane/sched/types.js';
import { KERNEL_LINEAR } from '../../../../bench/kernel-linear/index.js';
import { ctx, dest, seeded } from './fixtures/sched.js';

const WEIGHTS = [0, 1, 1, 2, 3, 3, 5, 8, 100];

interface Budget {
  readonly seeds: number;
  readonly steps: number;
}

const BUDGET: Record<string, Budget> = { mh: { seeds: 6, steps: 300 }, sh: { seeds: 12, steps: 400 } };
const DEFAULT_BUDGET: Budget = { seeds: 20, steps: 400 };

function run(name: SchedulerName, seed: number, steps: number): string | null {
  const rng = seeded(seed);
  const pick = (n: number): number => rng() % n;
  const flags = { fallback: seed % 2 === 0, port: seed % 3 === 0 };
  const extra = { startedAt: 0, localityExpiration: 10 * 60_000 };
  const fast: Scheduler = schedulerFactory(name)(ctx(flags, seeded(seed * 7919), extra));
  const slow: Scheduler = KERNEL_LINEAR[name](ctx(flags, seeded(seed * 7919), extra));
  const newDest = (): SchedDest => {
    const w = WEIGHTS[pick(WEIGHTS.length)];
    return dest(`d${seed}`, w, { uThreshold: pick(3) === 0 ? 2 + pick(6) : 0, addrFold: rng() });
  };
  // Mostly small services, where ties and edge cases are dense; every fourth history a large one.
  let dests: SchedDest[] = Array.from({ length: seed % 4 === 0 ? 100 + pick(300) : 1 + pick(40) }, newDest);
  const update = (): void => {
    fast.update(dests);
    slow.update(dests);
  };
  const touch = (d: SchedDest): void => {
    fast.countersChanged(d);
    slow.countersChanged(d);
  };
  update();
  let now = 0;
  for (let step = 0; step < steps; step++) {
    const op = pick(100);
    const d = dests.length > 0 ? dests[pick(dests.length)] : null;
    if (op < 50) {
      now += pick(90_000);
      const pkt: SchedPacket = { srcFold: 0x0a000000 + pick(60), srcPort: 1024 + pick(8), dstFold: 0xc0000000 + pick(30), dstPort: 80, now };
      const a = fast.schedule(pkt);
      const b = slow.schedule(pkt);
      if (a !== b) return `step ${step}: lvsd picked ${a?.id ?? 'none'}, kernel port ${b?.id ?? 'none'}`;
      if (a) {
        if (pick(10) < 7) a.activeConns++;
        else a.inactConns++;
        // ip_vs_bind_dest: past the upper threshold the dest is flagged overloaded.
        if (a.uThreshold && a.activeConns + a.inactConns >= a.uThreshold) a.overloaded = true;
        touch(a);
      }
    } else if (op < 75 && d) {
      if (d.activeConns > 0 && pick(2) === 0) d.activeConns--;
      else if (d.inactConns > 0) d.inactConns--;
      if (d.activeConns + d.inactConns < d.uThreshold / 2) d.overloaded = false;
      touch(d);
    } else if (op < 80 && d) {
      d.overloaded = !d.overloaded;
      touch(d);
    } else if (op < 82) {
      // A burst of state changes between two picks (connections established, closed, expired).
      for (let k = pick(60); k > 0 && dests.length > 0; k--) {
        const x = dests[pick(dests.length)];
        x.activeConns = pick(6);
        x.inactConns = pick(300);
        touch(x);
      }
    } else if (op < 90 && d) {
      d.weight = WEIGHTS[pick(WEIGHTS.length)];
      if (d.weight > 0) d.lastWeight = d.weight;
      update();
    } else if (op < 95) {
      dests = [...dests, newDest()];
      update();
    } else if (d) {
      d.available = false;
      dests = dests.filter((x) => x !== d);
      update();
    }
  }
  return null;
}

for (const name of SCHEDULER_NAMES) {
  t.test(`${name} picks exactly what the straight kernel port picks`, async (t) => {
    const { seeds, steps } = BUDGET[name] ?? DEFAULT_BUDGET;
    const failures: string[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const diff = run(name, seed, steps);
      if (diff) failures.push(`seed ${seed}: ${diff}`);
    }
    t.same(failures, [], `${seeds} histories of ${steps} steps`);
  });
}
