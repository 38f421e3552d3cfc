import type { ServiceSpec, DestSpec } from '../../model/service.js';
import { destKey, sameSchedFlags } from '../../model/service.js';
import { zeroCounters, type Counters } from '../../model/stats.js';
import type { IpAddr } from '../../model/address.js';
import type { Random } from '../../ports/random.js';
import type { SchedContext, Scheduler } from '../sched/types.js';
import { createScheduler } from '../sched/index.js';
import { RateEstimator } from './estimator.js';
import { DestRuntime } from './dest.js';

/** What every service's scheduler is bound with: the random source, the clock, the lblc/lblcr expiration. */
export interface SchedEnv {
  readonly random: Random;
  readonly now: () => number;
  readonly localityExpiration?: number;
}

/** A virtual service inside the director: spec, real servers newest first (as the kernel keeps them), bound scheduler, counters. */
export class ServiceRuntime {
  readonly dests: DestRuntime[] = [];
  private readonly byKey = new Map<string, DestRuntime>();
  scheduler: Scheduler;
  readonly stats: Counters = zeroCounters();
  readonly estimator = new RateEstimator(this.stats);

  constructor(
    readonly index: number,
    public spec: ServiceSpec,
    private readonly env: SchedEnv,
  ) {
    this.scheduler = createScheduler(spec.scheduler, this.schedContext(spec));
    this.scheduler.update(this.dests);
  }

  /** init_service runs when a scheduler is bound: lblc/lblcr start their 60 s timer then. */
  private schedContext(spec: ServiceSpec): SchedContext {
    const { random, now, localityExpiration } = this.env;
    return { flags: spec.flags, random, startedAt: now(), localityExpiration };
  }

  /** ip_vs_edit_service: a new scheduler (or new flags) is bound to the current destination list. */
  edit(spec: ServiceSpec): void {
    const rebind = spec.scheduler !== this.spec.scheduler || !sameSchedFlags(spec.flags, this.spec.flags);
    const next = rebind ? createScheduler(spec.scheduler, this.schedContext(spec)) : this.scheduler;
    // Bind first: a scheduler that refuses this destination list (mh over its table size) changes nothing.
    next.update(this.dests);
    this.spec = spec;
    this.scheduler = next;
  }

  findDest(addr: IpAddr, port: number): DestRuntime | undefined {
    return this.byKey.get(destKey(addr, port));
  }

  addDest(dest: DestRuntime): void {
    dest.countersChanged = (d) => this.scheduler.countersChanged(d);
    // __ip_vs_update_dest adds with list_add_rcu: the newest dest heads the list the schedulers walk.
    this.dests.unshift(dest);
    this.byKey.set(destKey(dest.spec.addr, dest.port), dest);
    this.scheduler.update(this.dests);
  }

  editDest(dest: DestRuntime, spec: DestSpec): void {
    dest.update(spec);
    this.scheduler.update(this.dests);
  }

  /** The dest leaves the list but existing connections keep it (the kernel's dest trash). */
  removeDest(dest: DestRuntime): void {
    const i = this.dests.indexOf(dest);
    if (i >= 0) this.dests.splice(i, 1);
    this.byKey.delete(destKey(dest.spec.addr, dest.port));
    dest.available = false;
    dest.countersChanged = () => undefined;
    this.scheduler.update(this.dests);
  }
}

