/** MISC_CHECK: what a script's end means for its real server (keepalived check/check_misc.c misc_check_child_thread). */
import type { MiscCheck } from '../../model/config.js';
import type { ProbeResult } from '../../ports/prober.js';
import type { ScriptResult } from '../../ports/scripts.js';

/** The last line the script printed, shortened, so the log line says what the script said. */
function said(output: string): string {
  const last = output.trimEnd().split('\n').at(-1) ?? '';
  return last ? `: ${last.length > 200 ? `${last.slice(0, 200)}…` : last}` : '';
}

/**
 * Exit 0 is up; with misc_dynamic an exit of 2..255 is up too and asks for weight exit − 2; any other exit, a
 * signal, or the timeout is down (keepalived "treats forced termination as a failure").
 */
export function miscResult(check: MiscCheck, r: ScriptResult): ProbeResult {
  if (r.error !== null) return { up: false, reason: 'error', detail: r.error };
  if (r.timedOut) return { up: false, reason: 'timeout', detail: `no exit within misc_timeout ${check.timeout} s${said(r.output)}` };
  if (r.exitCode === null) return { up: false, reason: 'exit', detail: `killed by ${r.signal ?? 'a signal'}${said(r.output)}` };
  const code = r.exitCode;
  if (code === 0) return { up: true, detail: `exit 0${said(r.output)}` };
  if (check.dynamic && code >= 2 && code <= 255) return { up: true, detail: `exit ${code}${said(r.output)}`, weight: code - 2 };
  return { up: false, reason: 'exit', detail: `exit ${code}${said(r.output)}` };
}
