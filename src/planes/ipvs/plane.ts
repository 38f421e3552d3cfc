import type { DataPlane } from '../../ports/dataplane.js';
import type { SnapshotNeed, TablePort, TableResult } from '../../ports/table.js';
import type { TableOp } from '../../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../../model/table.js';

/**
 * The kernel data plane: the table lives in the kernel, which forwards every packet; lvsd only programs
 * it (KernelIpvs, or FakeIpvs in tests). Closing leaves the table in place (lvs_flush_on_stop decides
 * otherwise, in the daemon), so a restart of lvsd drops no traffic.
 */
export class IpvsDataPlane implements DataPlane {
  readonly name = 'ipvs' as const;

  constructor(private readonly kernel: TablePort) {}

  apply(ops: readonly TableOp[]): Promise<readonly TableResult[]> {
    return this.kernel.apply(ops);
  }

  snapshot(need?: SnapshotNeed): Promise<TableSnapshot> {
    return this.kernel.snapshot(need);
  }

  connections(): Promise<readonly ConnEntry[]> {
    return this.kernel.connections();
  }

  close(): Promise<void> {
    return this.kernel.close();
  }
}
