import type { Ranking } from './ranked-list.js';
import { RankedScheduler } from './ranked-list.js';
import { connOverhead, type SchedulerFactory } from './types.js';

/**
 * ip_vs_wlc.c: the least overhead/weight. The kernel starts from the first dest that is not overloaded
 * with weight > 0 and takes a later one only if `loh * w(dest) > doh * w(least)`; a later weight-0 dest
 * can never pass that test, so weight > 0 is the whole eligibility rule and ties keep the earlier dest.
 * lblc and lblcr fall back to this same choice (__ip_vs_lblc_schedule, __ip_vs_lblcr_schedule).
 */
export const WLC_RANKING: Ranking = {
  eligible: (d) => !d.overloaded && d.weight > 0,
  num: connOverhead,
  den: (d) => d.weight,
};

export const wlc: SchedulerFactory = () => new RankedScheduler('wlc', WLC_RANKING);
