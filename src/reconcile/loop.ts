import type { DataPlane } from '../ports/dataplane.js';
import type { Logger } from '../ports/logger.js';
import type { TableOp } from '../model/ops.js';
import type { TableSnapshot } from '../model/table.js';
import { serviceKey, destKey } from '../model/service.js';
import type { DesiredTable } from './desired-table.js';
import { planTableSliced } from './diff.js';
import { noPause, type Pause } from '../ports/pause.js';

/** Beyond this many changes in one pass the log gets a count, not a line per change (a 110,000-object start). */
const MAX_LOGGED_CHANGES = 200;

export interface ReconcileResult {
  readonly applied: number;
  readonly failed: number;
}

/**
 * One level-triggered pass: read the table back, plan, apply. A refused operation is logged and skipped;
 * the next pass plans it again from what the table then holds, so nothing is lost by continuing.
 * `observed` is a read-back the caller has just taken (nothing since has touched a service): reading a
 * 10,000-service kernel table is 10,000 dumps, worth not doing twice at start-up.
 * `pause` gives the event loop a turn between slices of the plan (issue 11: relays and lvsadm must not wait
 * for a 100,000-real-server diff).
 */
export async function reconcileOnce(plane: DataPlane, desired: DesiredTable, log: Logger, observed?: TableSnapshot, pause: Pause = noPause): Promise<ReconcileResult> {
  const plan = await planTableSliced(desired, observed ?? await plane.snapshot(), pause);
  const outcomes = await plane.apply(plan);
  let failed = 0;
  for (const [i, op] of plan.entries()) {
    const e = outcomes[i];
    if (e) {
      failed++;
      log.error({ change: describeOp(op), errno: e.errno, detail: e.message }, 'table change refused');
    } else if (plan.length <= MAX_LOGGED_CHANGES) {
      log.info({ change: describeOp(op) }, 'table reconciled');
    }
  }
  if (plan.length > MAX_LOGGED_CHANGES) log.info({ changes: plan.length - failed }, 'table reconciled (changes not listed one by one)');
  return { applied: plan.length - failed, failed };
}

/** One line an operator reads in the log for an operation. */
export function describeOp(op: TableOp): string {
  switch (op.op) {
    case 'add-service':
    case 'edit-service':
      return `${op.op} ${serviceKey(op.spec.id)} ${op.spec.scheduler}`;
    case 'del-service':
      return `del-service ${serviceKey(op.id)}`;
    case 'add-dest':
    case 'edit-dest':
      return `${op.op} ${serviceKey(op.service)} ${destKey(op.dest.addr, op.dest.port)} ${op.dest.fwd} w${op.dest.weight}`;
    case 'del-dest':
      return `del-dest ${serviceKey(op.service)} ${destKey(op.addr, op.port)}`;
    default:
      return op.op;
  }
}
