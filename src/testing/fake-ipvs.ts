import type { IpvsPort } from '../ports/ipvs.js';
import type { TableOp } from '../model/ops.js';
import type { TableSnapshot } from '../model/table.js';
import { TableError } from '../model/errors.js';
import { ServiceTable } from '../dataplane/director/table.js';
import { applyEach } from '../dataplane/apply-each.js';

/**
 * A kernel IPVS table in memory: the director's ServiceTable gives it the kernel's errnos for the same
 * mistakes. It records every operation it was sent and can be told to fail the next matching ones,
 * so a test asserts effects on the table and how lvsd copes with refusals.
 */
export class FakeIpvs implements IpvsPort {
  readonly table = new ServiceTable(() => 4);
  readonly log: TableOp[] = [];
  private readonly faults: Array<{ match: (op: TableOp) => boolean; errno: TableError['errno']; times: number }> = [];
  closed = false;

  /** The next `times` operations that match fail with errno (before touching the table). */
  failNext(match: (op: TableOp) => boolean, errno: TableError['errno'], times = 1): void {
    this.faults.push({ match, errno, times });
  }

  async apply(op: TableOp): Promise<void> {
    this.log.push(op);
    const f = this.faults.find((x) => x.times > 0 && x.match(op));
    if (f) {
      f.times--;
      throw new TableError(f.errno, 'injected');
    }
    this.table.apply(op);
  }

  applyMany(ops: readonly TableOp[]): Promise<Array<TableError | null>> {
    return applyEach(ops, (op) => this.apply(op));
  }

  async list(): Promise<TableSnapshot> {
    return this.table.snapshot();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
