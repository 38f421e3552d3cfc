import type { Ranking } from './ranked-list.js';
import { RankedScheduler } from './ranked-list.js';
import { connOverhead, type SchedulerFactory } from './types.js';

/**
 * ip_vs_lc.c: the least `ip_vs_dest_conn_overhead` among dests that are not overloaded and whose
 * weight is not 0 (quiesced); `doh < loh` keeps the earliest on ties.
 */
export const LC_RANKING: Ranking = {
  eligible: (d) => !d.overloaded && d.weight !== 0,
  num: connOverhead,
  den: () => 1,
};

export const lc: SchedulerFactory = () => new RankedScheduler('lc', LC_RANKING);
