/**
 * The ScriptRunner: keepalived's system_call_script (core/notify.c) without its shell — argv executed directly,
 * as the script's user, in its own process group, killed with the whole group when its timeout passes (SIGTERM,
 * then SIGKILL after a grace, as check_misc.c escalates), output kept up to a bound, and at most a fixed number of
 * scripts at once with the rest queued in order.
 */
import { spawn } from 'node:child_process';
import type { ScriptSpec } from '../model/config.js';
import type { ScriptResult, ScriptRunner } from '../ports/scripts.js';
import { BoundedOutput } from './bounded-output.js';
import { vetScript } from './script-security.js';
import { scriptIdentity, type ScriptIdentity } from './script-user.js';

export interface ScriptRunnerOptions {
  /** global_defs script_user. */
  readonly scriptUser?: { readonly user: string; readonly group: string | null } | null;
  readonly enableScriptSecurity?: boolean;
  /** Scripts running at once; the rest wait in order. Default 16. */
  readonly maxConcurrent?: number;
  /** Bytes of stdout+stderr kept per run. Default 64 KiB. */
  readonly keepBytes?: number;
  /** Between SIGTERM and SIGKILL at the timeout (check_misc.c waits 2 s). Default 2000 ms. */
  readonly killGraceMs?: number;
}

export const MAX_CONCURRENT_SCRIPTS = 16;
/** After the script exits, how long a child it left holding its output may keep the pipes open. */
const DRAIN_MS = 200;
/** Variables keepalived drops before exec (system_call_script). */
const UNSAFE_ENV = ['IFS', 'LD_PRELOAD', 'LD_LIBRARY_PATH'];

const refused = (error: string): ScriptResult => ({ exitCode: null, signal: null, timedOut: false, output: '', error });

export class ProcessScriptRunner implements ScriptRunner {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly max: number;

  constructor(private readonly opts: ScriptRunnerOptions = {}) {
    this.max = opts.maxConcurrent ?? MAX_CONCURRENT_SCRIPTS;
  }

  /** Scripts running now and waiting for a slot. */
  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  async run(script: ScriptSpec, extraArgs: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<ScriptResult> {
    const argv0 = script.argv[0];
    if (argv0 === undefined) return refused('the script has no command');
    const who = await scriptIdentity(script, this.opts.scriptUser ?? null, this.opts.enableScriptSecurity ?? false);
    if (typeof who === 'string') return refused(`script ${argv0}: ${who}`);
    const vetted = await vetScript(argv0, who, this.opts.enableScriptSecurity ?? false);
    if ('error' in vetted) return refused(vetted.error);
    if (!(await this.slot(signal))) return refused(`script ${argv0} was cancelled before it started`);
    try {
      return await this.spawnOne(vetted.path, [...script.argv.slice(1), ...extraArgs], who, timeoutMs, signal);
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  /** Waits for a free slot; false when cancelled while waiting. */
  private slot(signal: AbortSignal | undefined): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const go = () => {
        signal?.removeEventListener('abort', cancel);
        this.running++;
        resolve(true);
      };
      const cancel = () => {
        const i = this.queue.indexOf(go);
        if (i >= 0) this.queue.splice(i, 1);
        resolve(false);
      };
      this.queue.push(go);
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  private spawnOne(path: string, args: string[], who: ScriptIdentity, timeoutMs: number, signal?: AbortSignal): Promise<ScriptResult> {
    const env = { ...process.env };
    for (const k of UNSAFE_ENV) delete env[k];
    const me = process.getuid?.() ?? 0;
    const ids = who.uid === me && who.gid === (process.getgid?.() ?? 0) ? {} : { uid: who.uid, gid: who.gid };
    const child = spawn(path, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env, ...ids });
    const out = new BoundedOutput(this.opts.keepBytes ?? 64 * 1024);
    child.stdout.on('data', (b: Buffer) => out.add(b));
    child.stderr.on('data', (b: Buffer) => out.add(b));
    let timedOut = false;
    let killed = false;
    const timers: NodeJS.Timeout[] = [];
    // Signal the whole group: the script's own children die with it (keepalived kill(-pid, …)).
    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, sig);
        } catch {
          // ESRCH: the group is already gone.
        }
      }
    };
    const stop = () => {
      killed = true;
      killGroup('SIGTERM');
      timers.push(setTimeout(() => killGroup('SIGKILL'), this.opts.killGraceMs ?? 2_000));
    };
    timers.push(setTimeout(() => { timedOut = true; stop(); }, timeoutMs));
    signal?.addEventListener('abort', stop, { once: true });
    return new Promise((resolve) => {
      let exit: { code: number | null; sig: NodeJS.Signals | null } | null = null;
      let error: string | null = null;
      let done = false;
      const finish = () => {
        if (done || !exit) return;
        done = true;
        for (const t of timers) clearTimeout(t);
        signal?.removeEventListener('abort', stop);
        // After a kill, make sure nothing of the group survives a SIGTERM it ignored (check_misc.c).
        if (killed) killGroup('SIGKILL');
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ exitCode: exit.code, signal: exit.sig, timedOut, output: out.text(), error });
      };
      child.on('error', (e: NodeJS.ErrnoException) => {
        error = `script ${path} could not start: ${e.code ?? e.message}`;
        exit = { code: null, sig: null };
        finish();
      });
      child.on('exit', (code, sig) => {
        exit = { code, sig };
        // A child the script left behind may hold the pipes open: read what is there, then stop waiting.
        timers.push(setTimeout(finish, DRAIN_MS));
      });
      child.on('close', finish);
    });
  }
}
