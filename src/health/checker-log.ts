/** The log line of one checker's judgement, naming the checker, its server and the reason (check_misc.c, check_tcp.c). */
import type { Checker } from '../model/config.js';
import type { ProbeResult } from '../ports/prober.js';
import type { HealthEvent } from './events.js';
import { formatRs, formatVs } from './format.js';
import type { RsRun } from './service-health.js';

/**
 * check_misc.c's wording of where a failure stands in its retries: the scheduled attempt ", will do N retries",
 * a later one " on retry i/N", the last " after N retries", and " with retry disabled" when retry is 0.
 */
function retryNote(retry: number, retryIt: number): string {
  const plural = (n: number) => `${n} ${n === 1 ? 'retry' : 'retries'}`;
  if (retry === 0) return ' with retry disabled';
  if (retryIt >= retry) return ` after ${plural(retry)}`;
  return retryIt === 0 ? `, will do ${plural(retry)}` : ` on retry ${retryIt}/${retry}`;
}

/** `retryIt`: failed attempts before this one in the current run (keepalived retry_it). */
export function checkerLog(r: RsRun, c: Checker, res: ProbeResult, retryIt: number): HealthEvent {
  const where = `${c.type} on service ${formatRs(r.vs, r.rs)} of VS ${formatVs(r.vs)}`;
  const fields = { vs: formatVs(r.vs), rs: formatRs(r.vs, r.rs), checker: c.type, line: c.loc.line };
  if (res.up) return { kind: 'log', level: 'info', msg: `${where} succeeded: ${res.detail}`, fields: { ...fields, result: 'up' } };
  const note = c.type === 'FILE_CHECK' ? '' : retryNote(c.retry, retryIt);
  return { kind: 'log', level: 'warn', msg: `${where} failed${note}: ${res.reason} (${res.detail})`, fields: { ...fields, result: 'down', reason: res.reason } };
}
