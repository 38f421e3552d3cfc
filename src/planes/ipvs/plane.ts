import type { DataPlane } from '../../ports/dataplane.js';
import type { IpvsPort } from '../../ports/ipvs.js';
import type { TableOp } from '../../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../../model/table.js';
import type { TableError } from '../../model/errors.js';

/**
 * The kernel data plane: the table lives in the kernel, which forwards every packet; lvsd only programs
 * it. Closing leaves the table in place (lvs_flush_on_stop decides otherwise, in the daemon), so a
 * restart of lvsd drops no traffic.
 */
export class IpvsDataPlane implements DataPlane {
  readonly name = 'ipvs' as const;

  constructor(private readonly port: IpvsPort, private readonly readConns: () => Promise<readonly ConnEntry[]>) {}

  apply(op: TableOp): Promise<void> {
    return this.port.apply(op);
  }

  applyMany(ops: readonly TableOp[]): Promise<Array<TableError | null>> {
    return this.port.applyMany(ops);
  }

  snapshot(): Promise<TableSnapshot> {
    return this.port.list();
  }

  connections(): Promise<readonly ConnEntry[]> {
    return this.readConns();
  }

  close(): Promise<void> {
    return this.port.close();
  }
}
