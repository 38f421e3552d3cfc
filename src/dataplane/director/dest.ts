import type { DestSpec } from '../../model/service.js';
import { addrFold } from '../../model/address.js';
import { zeroCounters, type Counters } from '../../model/stats.js';
import type { SchedDest } from '../sched/types.js';
import { RateEstimator } from './estimator.js';

/** A real server inside the director: what schedulers read, plus its spec, counters and rates. */
export class DestRuntime implements SchedDest {
  readonly addrFold: number;
  readonly port: number;
  weight = 0;
  lastWeight = 0;
  activeConns = 0;
  inactConns = 0;
  persistConns = 0;
  overloaded = false;
  available = true;
  uThreshold = 0;
  lThreshold = 0;
  readonly stats: Counters = zeroCounters();
  readonly estimator = new RateEstimator(this.stats);
  /** Tells the owning service's scheduler that counters moved; a removed dest tells nobody. */
  countersChanged: (d: DestRuntime) => void = () => undefined;

  constructor(readonly id: number, public spec: DestSpec) {
    this.addrFold = addrFold(spec.addr);
    this.port = spec.port;
    this.update(spec);
  }

  /** ip_vs_ctl.c __ip_vs_update_dest: weight, last_weight, thresholds, and the overload flag rule. */
  update(spec: DestSpec): void {
    this.spec = spec;
    this.weight = spec.weight;
    if (spec.weight > 0) this.lastWeight = spec.weight;
    this.available = true;
    // Raising or removing the upper threshold lifts overload at once; lowering it waits for the next bind.
    if (spec.uThreshold === 0 || spec.uThreshold > this.uThreshold) this.overloaded = false;
    this.uThreshold = spec.uThreshold;
    this.lThreshold = spec.lThreshold;
  }
}
