import type { TableOp } from '../model/ops.js';
import type { TableSnapshot } from '../model/table.js';
import type { TableError } from '../model/errors.js';

/** The kernel's IPVS table as lvsd drives it: the netlink client in production, FakeIpvs in tests. */
export interface IpvsPort {
  /** One operation; rejects with TableError(errno) as the kernel answered. */
  apply(op: TableOp): Promise<void>;
  /** Many operations in flight at once, in order, not stopping at a failure; one outcome per op. */
  applyMany(ops: readonly TableOp[]): Promise<Array<TableError | null>>;
  /** Services, real servers, counters, rates, timeouts and sync daemons, read back from the kernel. */
  list(): Promise<TableSnapshot>;
  close(): Promise<void>;
}
