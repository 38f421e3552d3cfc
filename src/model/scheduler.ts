/**
 * The in-tree IPVS schedulers, by the name ipvsadm -s and keepalived's lb_algo use. The names live apart
 * from the implementations (dataplane/sched) so that reading a configuration or programming kernel IPVS
 * does not load fourteen userspace schedulers.
 */
export const SCHEDULER_NAMES = ['rr', 'wrr', 'lc', 'wlc', 'sed', 'nq', 'lblc', 'lblcr', 'dh', 'sh', 'mh', 'fo', 'ovf', 'twos'] as const;

export type SchedulerName = (typeof SCHEDULER_NAMES)[number];

const NAMES: ReadonlySet<string> = new Set(SCHEDULER_NAMES);

export function isSchedulerName(name: string): name is SchedulerName {
  return NAMES.has(name);
}
