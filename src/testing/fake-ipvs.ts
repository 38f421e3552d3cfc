import type { TablePort, TableResult } from '../ports/table.js';
import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import { TableError, type TableErrno } from '../model/errors.js';
import { ServiceTable } from '../dataplane/director/table.js';
import { KERNEL_6_1 } from '../dataplane/director/table-rules.js';
import { applyAll } from '../dataplane/table-apply.js';

/**
 * Kernel IPVS in memory: a real table (the director's ServiceTable) with the kernel's rules and modules
 * (KERNEL_6_1), so it gives the kernel's errno for the same mistake — the kernel tier's table-rules scenario
 * holds it to that. It records what it was sent and what it applied, and can be told to fail the next
 * matching ops, so a test asserts effects on the table and how lvsd copes with refusals.
 */
export class FakeIpvs implements TablePort {
  readonly table = new ServiceTable(() => 4, 4096, KERNEL_6_1);
  /** Every op it was sent, in order. */
  readonly log: TableOp[] = [];
  /** Every op it applied, in order. */
  readonly applied: TableOp[] = [];
  /** What connections() reports. */
  conns: ConnEntry[] = [];
  closed = false;
  private readonly faults: Array<{ match: (op: TableOp) => boolean; errno: TableErrno; times: number }> = [];

  /** The next `times` operations that match fail with errno (before touching the table). */
  failNext(match: (op: TableOp) => boolean, errno: TableErrno, times = 1): void {
    this.faults.push({ match, errno, times });
  }

  apply(ops: readonly TableOp[]): Promise<TableResult[]> {
    return applyAll(ops, (op) => {
      this.log.push(op);
      const f = this.faults.find((x) => x.times > 0 && x.match(op));
      if (f) {
        f.times--;
        throw new TableError(f.errno, 'injected');
      }
      this.table.apply(op);
      this.applied.push(op);
    });
  }

  /** A copy, as a read from the kernel is: later changes to the table do not show in it. */
  async snapshot(): Promise<TableSnapshot> {
    return structuredClone(this.table.snapshot());
  }

  async connections(): Promise<readonly ConnEntry[]> {
    return structuredClone(this.conns);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
