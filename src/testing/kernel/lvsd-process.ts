import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lab } from '../netns.js';
import { repoRoot } from '../repo.js';
import { GUEST_NODE_FLAGS } from './guest-env.js';

/**
 * lvsd itself (dist/src/daemon/main.js) as a guest process in a namespace, with the flags every guest node
 * needs. Its log is pino JSON on stdout; the scenario waits on log messages, the only interface lvsd
 * offers for "done applying", and keeps every line for the host-side check.
 */

export interface LogLine {
  readonly msg: string;
  readonly level: string;
  readonly [field: string]: unknown;
}

export class LvsdProcess {
  readonly lines: LogLine[] = [];
  /** stdout text that is not a JSON line, and stderr: what a crash leaves. */
  other = '';
  exitCode: number | null = null;
  private partial = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (d: string) => this.take(d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => { this.other += d; });
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : null);
      resolve(this.exitCode);
    }));
  }

  /** lvsd's process id (`ip netns exec` execs it), for /proc/PID readers. */
  get pid(): number {
    if (this.child.pid === undefined) throw new Error('lvsd did not start');
    return this.child.pid;
  }

  /** Starts `lvsd ARGS…` in `ns`; the Lab kills it at teardown if it is still running. */
  static start(lab: Lab, ns: string, args: readonly string[]): LvsdProcess {
    const main = path.join(repoRoot(), 'dist/src/daemon/main.js');
    return new LvsdProcess(lab.spawn(ns, process.execPath, [...GUEST_NODE_FLAGS, main, ...args]));
  }

  private take(data: string): void {
    const text = this.partial + data;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) {
      try {
        this.lines.push(JSON.parse(p) as LogLine);
      } catch {
        this.other += `${p}\n`;
      }
    }
  }

  /** Log lines with this message, from index `from` on. */
  messages(msg: string, from = 0): LogLine[] {
    return this.lines.slice(from).filter((l) => l.msg === msg);
  }

  /** Resolves with the first line (from index `from`) with this message; rejects on exit or after timeoutMs. */
  async waitFor(msg: string, timeoutMs: number, from = 0): Promise<LogLine> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.slice(from).find((l) => l.msg === msg);
      if (hit) return hit;
      if (this.exitCode !== null) throw new Error(`lvsd exited (${this.exitCode}) before logging '${msg}': ${this.other.trim()}`);
      if (Date.now() > until) throw new Error(`lvsd did not log '${msg}' in ${timeoutMs} ms: ${this.other.trim()}`);
      await sleep(20);
    }
  }

  /** SIGTERM, as systemd stops it; resolves with the exit code, or rejects when lvsd is not gone in timeoutMs. */
  async stop(timeoutMs: number): Promise<number | null> {
    if (this.exitCode === null) this.child.kill('SIGTERM');
    const late = sleep(timeoutMs).then(() => { throw new Error(`lvsd still running ${timeoutMs} ms after SIGTERM`); });
    return Promise.race([this.exited, late]);
  }

  /** The log as text, for a file the host can read. */
  text(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n') + (this.other ? `\n--- not JSON ---\n${this.other}` : '');
  }
}
