import type { Ranking } from './ranked-list.js';
import { RankedScheduler } from './ranked-list.js';
import type { SchedulerFactory } from './types.js';

/**
 * ip_vs_ovf.c: the highest weight among dests that are not overloaded, have weight not 0 and no more
 * active connections than their weight (the overflow point); earliest on ties (`w > hw`).
 */
export const OVF_RANKING: Ranking = {
  eligible: (d) => !d.overloaded && d.weight !== 0 && d.activeConns <= d.weight,
  num: () => 1,
  den: (d) => d.weight,
};

export const ovf: SchedulerFactory = () => new RankedScheduler('ovf', OVF_RANKING);
