import type { Ranking } from './ranked-list.js';
import { RankedScheduler } from './ranked-list.js';
import type { SchedulerFactory } from './types.js';

/**
 * ip_vs_nq.c: the first dest (not overloaded, weight not 0) with no active connection is returned at
 * once; otherwise the sed minimum of (activeconns + 1) / weight. Ranking an idle dest 0/weight makes
 * it beat every busy dest (whose rank is > 0) and tie with other idle ones, so the tree's
 * "earliest lowest rank" is the kernel's "first idle, else sed". Products are (__s64) in current
 * kernels, exact here.
 */
export const NQ_RANKING: Ranking = {
  eligible: (d) => !d.overloaded && d.weight !== 0,
  num: (d) => (d.activeConns === 0 ? 0 : d.activeConns + 1),
  den: (d) => d.weight,
};

export const nq: SchedulerFactory = () => new RankedScheduler('nq', NQ_RANKING);
