import type { TableOp } from '../model/ops.js';
import type { TablePort } from '../ports/table.js';

/** For tests that build a table: applies the ops and throws the first refusal, so setup cannot fail silently. */
export async function applyOrThrow(table: TablePort, ...ops: TableOp[]): Promise<void> {
  const refused = (await table.apply(ops)).find((r) => r !== null);
  if (refused) throw refused;
}
