import type { Ranking } from './ranked-list.js';
import { RankedScheduler } from './ranked-list.js';
import type { SchedulerFactory } from './types.js';

/**
 * ip_vs_sed.c: like wlc, but the expected delay counts active connections only, plus the one being
 * scheduled: (activeconns + 1) / weight. Same eligibility and tie rule as wlc; the products are
 * (__s64) in the kernel (before "ipvs: Fix overflow on dest weight multiply" they were u32 and could
 * wrap), exact here.
 */
export const SED_RANKING: Ranking = {
  eligible: (d) => !d.overloaded && d.weight > 0,
  num: (d) => d.activeConns + 1,
  den: (d) => d.weight,
};

export const sed: SchedulerFactory = () => new RankedScheduler('sed', SED_RANKING);
