import type { TableOp } from '../model/ops.js';
import { TableError } from '../model/errors.js';

/**
 * DataPlane.applyMany for tables that take one operation at a time: every op in order, refusals collected
 * (not thrown) so the rest still run; anything that is not a table refusal is a bug and propagates.
 */
export async function applyEach(ops: readonly TableOp[], apply: (op: TableOp) => Promise<void>): Promise<Array<TableError | null>> {
  const out: Array<TableError | null> = [];
  for (const op of ops) {
    try {
      await apply(op);
      out.push(null);
    } catch (e) {
      if (!(e instanceof TableError)) throw e;
      out.push(e);
    }
  }
  return out;
}
