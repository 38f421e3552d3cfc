import type { TableOp } from '../model/ops.js';
import { TableError } from '../model/errors.js';
import type { TablePort, TableResult } from '../ports/table.js';

/**
 * The two ways to run a list of table operations, each written once.
 *
 * applyAll — every op, then the report: TablePort.apply for tables that take one operation at a time (the
 * in-memory tables, the proxy plane). Refusals are collected, not thrown, so the rest still run; anything
 * that is not a TableError is a bug and propagates.
 */
export async function applyAll(ops: readonly TableOp[], applyOne: (op: TableOp) => void | Promise<void>): Promise<TableResult[]> {
  const out: TableResult[] = [];
  for (const op of ops) {
    try {
      await applyOne(op);
      out.push(null);
    } catch (e) {
      if (!(e instanceof TableError)) throw e;
      out.push(e);
    }
  }
  return out;
}

/**
 * applyUntilFailure — ops in order until one is refused, as ipvsadm applies a command line and lvsd's control
 * socket applies a request: the results of the ops tried, the last one being the refusal if there was one.
 * Those before it stay applied; those after it are not sent.
 */
export async function applyUntilFailure(table: TablePort, ops: readonly TableOp[]): Promise<TableResult[]> {
  const out: TableResult[] = [];
  for (const op of ops) {
    const [r] = await table.apply([op]);
    if (r === undefined) throw new Error(`the table answered ${op.op} with no result`);
    out.push(r);
    if (r) break;
  }
  return out;
}

/** The first refusal among results and its index, or null when every op was applied. */
export function firstFailure(results: readonly TableResult[]): { readonly index: number; readonly error: TableError } | null {
  const index = results.findIndex((r) => r !== null);
  return index < 0 ? null : { index, error: results[index]! };
}
