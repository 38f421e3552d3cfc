import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import type { TableError } from '../model/errors.js';

/**
 * One operation's outcome: null when applied, else the refusal with the errno the kernel gives for it.
 * Anything that is not a refusal of the operation (a broken socket, a bug) is thrown, not returned.
 */
export type TableResult = TableError | null;

/**
 * What a read will use, so a table may fetch less: 'settings' timeouts, daemons and version (services may be
 * left out); 'table' what `-L` and `-S` print (real servers' counters, rates, thresholds and persistent counts
 * may be 0); 'full' everything.
 */
export type SnapshotNeed = 'settings' | 'table' | 'full';

/**
 * The one way to change and read a service table: kernel IPVS over netlink, the proxy plane's table, lvsd's
 * control socket as lvsadm sees it, the in-memory table of the tests.
 */
export interface TablePort {
  /**
   * Applies every op in order without stopping at a refusal (the kernel client keeps many in flight) and
   * resolves to one result per op. Stop-at-first-failure is applyUntilFailure (dataplane/table-apply.ts).
   */
  apply(ops: readonly TableOp[]): Promise<readonly TableResult[]>;
  /** The table as it is: services, real servers, counters, rates, timeouts, sync daemons. */
  snapshot(need?: SnapshotNeed): Promise<TableSnapshot>;
  connections(): Promise<readonly ConnEntry[]>;
  close(): Promise<void>;
}
