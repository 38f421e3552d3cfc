import type { Ranking } from './ranked-list.js';
import { RankedScheduler } from './ranked-list.js';
import type { SchedulerFactory } from './types.js';

/**
 * ip_vs_fo.c: the highest weight among dests that are not overloaded; `weight > hw` with hw starting
 * at 0 excludes weight 0 and keeps the earliest on ties. Ranked as 1/weight so "lowest rank" is
 * "highest weight".
 */
export const FO_RANKING: Ranking = {
  eligible: (d) => !d.overloaded && d.weight > 0,
  num: () => 1,
  den: (d) => d.weight,
};

export const fo: SchedulerFactory = () => new RankedScheduler('fo', FO_RANKING);
