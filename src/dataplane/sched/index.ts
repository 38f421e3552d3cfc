import { LvsdError } from '../../model/errors.js';
import { isSchedulerName, SCHEDULER_NAMES, type SchedulerName } from '../../model/scheduler.js';
import { dh } from './dh.js';
import { fo } from './fo.js';
import { lblc } from './lblc.js';
import { lblcr } from './lblcr.js';
import { lc } from './lc.js';
import { mh } from './mh.js';
import { nq } from './nq.js';
import { ovf } from './ovf.js';
import { rr } from './rr.js';
import { sed } from './sed.js';
import { sh } from './sh.js';
import { twos } from './twos.js';
import type { SchedContext, Scheduler, SchedulerFactory } from './types.js';
import { wlc } from './wlc.js';
import { wrr } from './wrr.js';

/** An implementation for every name in SCHEDULER_NAMES (the type says so). */
export const SCHEDULERS: Readonly<Record<SchedulerName, SchedulerFactory>> = Object.freeze({
  rr, wrr, lc, wlc, sed, nq, lblc, lblcr, dh, sh, mh, fo, ovf, twos,
});

/** The factory for `name`; throws LVSD_E_SCHED_UNKNOWN for a name the kernel would not load. */
export function schedulerFactory(name: string): SchedulerFactory {
  if (!isSchedulerName(name)) {
    throw new LvsdError(
      'LVSD_E_SCHED_UNKNOWN',
      `unknown scheduler "${name}": expected one of ${SCHEDULER_NAMES.join(', ')}`,
    );
  }
  return SCHEDULERS[name];
}

export function createScheduler(name: string, ctx: SchedContext): Scheduler {
  return schedulerFactory(name)(ctx);
}
