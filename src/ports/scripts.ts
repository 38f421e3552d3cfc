import type { ScriptSpec } from '../model/config.js';

export interface ScriptResult {
  /** null when the script was killed or could not start. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  /** stdout and stderr together, cut at a bound (the rest counted, not kept). */
  readonly output: string;
  /** Why it could not start (missing, not executable, refused by enable_script_security), or null. */
  readonly error: string | null;
}

/**
 * Runs keepalived-style scripts: argv without a shell, as the script's user, bounded by a timeout after which
 * the whole process group is killed, with a cap on how many run at once. Used by MISC_CHECK, notify scripts,
 * quorum scripts and vrrp_script.
 */
export interface ScriptRunner {
  /** `signal` ends the script early (reload, shutdown): its process group is killed as at the timeout. */
  run(script: ScriptSpec, extraArgs: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ScriptResult>;
}
