import type { Logger } from '../ports/logger.js';
import { parseJsonLine, parseRequest, requestIdOf, respond, type ControlRequest, type ControlResponse } from '../control/protocol.js';
import type { RequestHandler } from './control-socket.js';
import type { DaemonCore } from './core.js';
import type { PlanView } from '../control/protocol-status.js';
import type { StatusDoc } from '../metrics/status-doc.js';

/** The read-only requests served beside the core: the status document and reload plans. */
export interface ControlExtras {
  readonly status: () => Promise<StatusDoc>;
  readonly plan: (file: string) => Promise<PlanView>;
  /** Counts each request by method and outcome (ok, error, refused) for lvsd_control_requests_total. */
  readonly count: (method: string, outcome: 'ok' | 'error' | 'refused') => void;
}

/** The status answer carries the daemon's whole document; clients decode the StatusView part of it. */
type HandlerResponse = ControlResponse | { readonly id: number; readonly ok: true; readonly status: StatusDoc };

/** What the control socket reaches: the daemon core's reads, operator changes and overrides. */
export type ControlTarget = Pick<DaemonCore, 'snapshot' | 'connections' | 'applyOperatorOps' | 'overrides' | 'healthReport'>;

/**
 * Turns control-socket lines into calls on the daemon core. A malformed line is refused with one sentence
 * and changes nothing; an apply runs its ops in order and stops at the first failure, which is reported with
 * its index and errno (ipvsadm -R semantics). Anything else that fails is our bug, logged in full, and still
 * answered rather than crashing the daemon.
 */
export function controlHandler(core: ControlTarget, log: Logger, extras?: ControlExtras): RequestHandler {
  return async (line: string): Promise<HandlerResponse> => {
    const json = parseJsonLine(line);
    if (!json.ok) {
      extras?.count('unknown', 'refused');
      return respond.refused(null, json.error);
    }
    const req = parseRequest(json.value);
    if (!req.ok) {
      extras?.count('unknown', 'refused');
      log.warn({ error: req.error }, 'control request refused');
      return respond.refused(requestIdOf(json.value), req.error);
    }
    const r = req.value;
    const answer = await answerRequest(core, r, log, extras);
    extras?.count(r.method, answer.ok ? 'ok' : 'error');
    return answer;
  };
}

async function answerRequest(core: ControlTarget, r: ControlRequest, log: Logger, extras: ControlExtras | undefined): Promise<HandlerResponse> {
  try {
    switch (r.method) {
      case 'status':
        if (!extras) return respond.refused(r.id, 'this lvsd serves no status');
        return { id: r.id, ok: true, status: await extras.status() };
      case 'plan':
        if (!extras) return respond.refused(r.id, 'this lvsd computes no plans');
        return respond.plan(r.id, await extras.plan(r.file));
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
}
