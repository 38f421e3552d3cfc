import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import type { TableError } from '../model/errors.js';

/**
 * What every data plane (ipvs, packet, proxy) offers: apply table changes, and report the table as it is.
 * apply() rejects with a TableError carrying the errno the kernel would give.
 */
export interface DataPlane {
  readonly name: 'ipvs' | 'packet' | 'proxy';
  apply(op: TableOp): Promise<void>;
  /**
   * Applies every op in order without stopping at a failure, as fast as the plane can (the kernel plane
   * keeps many requests in flight); returns one outcome per op, null for success.
   */
  applyMany(ops: readonly TableOp[]): Promise<Array<TableError | null>>;
  snapshot(): Promise<TableSnapshot>;
  connections(): Promise<readonly ConnEntry[]>;
  close(): Promise<void>;
}
