import type { Logger } from '../ports/logger.js';
import { parseJsonLine, parseRequest, requestIdOf, respond, type ControlResponse } from '../control/protocol.js';
import type { RequestHandler } from './control-socket.js';
import type { DaemonCore } from './core.js';

/** What the control socket reaches: the daemon core's reads, operator changes and overrides. */
export type ControlTarget = Pick<DaemonCore, 'snapshot' | 'connections' | 'applyOperatorOps' | 'overrides' | 'healthReport'>;

/**
 * Turns control-socket lines into calls on the daemon core. A malformed line is refused with one sentence
 * and changes nothing; an apply runs its ops in order and stops at the first failure, which is reported with
 * its index and errno (ipvsadm -R semantics). Anything else that fails is our bug, logged in full, and still
 * answered rather than crashing the daemon.
 */
export function controlHandler(core: ControlTarget, log: Logger): RequestHandler {
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
        case 'snapshot': return respond.snapshot(r.id, await core.snapshot());
        case 'connections': return respond.connections(r.id, await core.connections());
        case 'overrides': return respond.overrides(r.id, core.overrides());
        case 'health': return respond.health(r.id, core.healthReport() ?? []);
        case 'apply': {
          const a = await core.applyOperatorOps(r.ops);
          return a.ok ? respond.ok(r.id) : respond.opFailed(r.id, a.index, a.error);
        }
      }
    } catch (e) {
      log.error({ err: e, method: r.method }, 'control request failed');
      return respond.refused(r.id, `internal error: ${(e as Error).message}`);
    }
  };
}
