/** Straight kernel ports, by scheduler name: the bench's yardstick and the tests' oracle. */
import type { SchedulerFactory } from '../../src/dataplane/sched/types.js';
import { dh, mh, sh } from './hashed.js';
import { lblc, lblcr } from './locality.js';
import { rr, wrr } from './round-robin.js';
import { fo, lc, nq, ovf, sed, wlc } from './scans.js';
import { twos } from './twos.js';

export const KERNEL_LINEAR: Readonly<Record<string, SchedulerFactory>> = {
  rr, wrr, lc, wlc, sed, nq, lblc, lblcr, dh, sh, mh, fo, ovf, twos,
};
