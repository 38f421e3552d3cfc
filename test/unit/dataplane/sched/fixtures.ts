import { NO_SCHED_FLAGS, type SchedFlags } from '../../../../src/model/service.js';
import type { Random } from '../../../../src/ports/random.js';
import type { SchedContext, SchedDest, SchedPacket, Scheduler } from '../../../../src/dataplane/sched/types.js';

let nextId = 1;

/** A destination with the given weight (and last weight) and zeroed counters; `name` is its id's label. */
export function dest(name: string, weight: number, fields: Partial<SchedDest> = {}): SchedDest & { name: string } {
  const octet = nextId % 250;
  return {
    name,
    id: nextId++,
    addrFold: (0x0a000000 | octet) >>> 0,
    port: 80,
    weight,
    lastWeight: weight,
    activeConns: 0,
    inactConns: 0,
    persistConns: 0,
    overloaded: false,
    available: true,
    uThreshold: 0,
    lThreshold: 0,
    ...fields,
  };
}

export function packet(fields: Partial<SchedPacket> = {}): SchedPacket {
  return { srcFold: 0xc0a80001, srcPort: 40000, dstFold: 0x0a640001, dstPort: 80, now: 0, ...fields };
}

/** mulberry32: a small seeded generator so randomised tests replay exactly. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return (x ^ (x >>> 14)) >>> 0;
  };
}

/** A Random that returns the given values in order and fails the test when it runs dry. */
export function scripted(values: number[]): Random {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('scripted Random exhausted');
    return values[i++];
  };
}

export function ctx(flags: Partial<SchedFlags> = {}, random: Random = seeded(1), extra: Partial<SchedContext> = {}): SchedContext {
  return { flags: { ...NO_SCHED_FLAGS, ...flags }, random, ...extra };
}

/** Names of the next n picks (null as '-'). */
export function picks(s: Scheduler, n: number, pkt: SchedPacket = packet()): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = s.schedule(pkt) as (SchedDest & { name?: string }) | null;
    out.push(d === null ? '-' : d.name ?? String(d.id));
  }
  return out;
}

/** Sets counters on d and tells the scheduler, as the connection table would. */
export function setCounters(s: Scheduler, d: SchedDest, active: number, inact = 0, overloaded = d.overloaded): void {
  d.activeConns = active;
  d.inactConns = inact;
  d.overloaded = overloaded;
  s.countersChanged(d);
}
