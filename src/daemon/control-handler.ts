import type { DataPlane } from '../ports/dataplane.js';
import type { Logger } from '../ports/logger.js';
import { applyUntilFailure, firstFailure } from '../dataplane/table-apply.js';
import { parseJsonLine, parseRequest, requestIdOf, respond, type ControlResponse } from '../cli/protocol.js';
import type { RequestHandler } from './control-socket.js';
import type { TableOp } from '../model/ops.js';

/**
 * Turns control-socket lines into data-plane calls. A malformed line is refused with one sentence and
 * changes nothing; an apply runs its ops in order and stops at the first failure, which is reported with
 * its index and errno (ipvsadm -R semantics). Only a TableError is an operator's mistake: anything else is
 * our bug, logged in full, and still answered rather than crashing the daemon.
 */
export function controlHandler(plane: DataPlane, log: Logger): RequestHandler {
  return async (line: string): Promise<ControlResponse> => {
    const json = parseJsonLine(line);
    if (!json.ok) return respond.refused(null, json.error);
    const req = parseRequest(json.value);
    if (!req.ok) {
      log.warn({ error: req.error }, 'control request refused');
      return respond.refused(requestIdOf(json.value), req.error);
    }
    const r = req.value;
    try {
      switch (r.method) {
        case 'snapshot': return respond.snapshot(r.id, await plane.snapshot());
        case 'connections': return respond.connections(r.id, await plane.connections());
        case 'apply': return await applyRequest(plane, r.id, r.ops, log);
      }
    } catch (e) {
      log.error({ err: e, method: r.method }, 'control request failed');
      return respond.refused(r.id, `internal error: ${(e as Error).message}`);
    }
  };
}

async function applyRequest(plane: DataPlane, id: number, ops: readonly TableOp[], log: Logger): Promise<ControlResponse> {
  const failed = firstFailure(await applyUntilFailure(plane, ops));
  if (failed) {
    const { index, error } = failed;
    log.info({ op: ops[index]!.op, errno: error.errno, detail: error.message }, 'table operation refused');
    return respond.opFailed(id, index, { errno: error.errno, message: error.message });
  }
  if (ops.length > 0) log.info({ ops: ops.length, first: ops[0]!.op }, 'table changed');
  return respond.ok(id);
}
