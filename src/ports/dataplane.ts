import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';

/**
 * What every data plane (ipvs, packet, proxy) offers: apply one table change, and report the table as it is.
 * apply() rejects with a TableError carrying the errno the kernel would give.
 */
export interface DataPlane {
  readonly name: 'ipvs' | 'packet' | 'proxy';
  apply(op: TableOp): Promise<void>;
  snapshot(): Promise<TableSnapshot>;
  connections(): Promise<readonly ConnEntry[]>;
  close(): Promise<void>;
}
