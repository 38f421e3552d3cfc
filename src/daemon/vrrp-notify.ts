/**
 * VRRP notifications as keepalived sends them (vrrp/vrrp_notify.c): a line on notify_fifo and vrrp_notify_fifo
 * (`INSTANCE "VI_1" MASTER 100`), written in the order the state changes happen, then the notify_<state> script and
 * the generic `notify` script with TYPE NAME STATE PRIORITY — without a shell, as script_user (ScriptRunner).
 * Scripts are started in order and not awaited: keepalived forks them and carries on, so a slow script never
 * holds back an advert or the next notification.
 */
import { constants, closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { KeepalivedConfig, ScriptSpec } from '../model/config.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ScriptRunner } from '../ports/scripts.js';
import { fifoLine, notifyScripts, type FifoState, type NotifyKind } from '../vrrp/notify.js';
import type { VrrpNotify } from '../model/config-vrrp.js';

/** keepalived gives notify scripts no timeout of its own; lvsd bounds them so none is left running forever. */
const NOTIFY_TIMEOUT_MS = 60_000;

/** One FIFO, opened O_RDWR | O_NONBLOCK as keepalived opens it (notify.c open_fifo): no reader never blocks lvsd. */
class Fifo {
  private fd: number | null = null;

  constructor(readonly path: string, private readonly log: Logger) {
    try {
      // keepalived creates a missing FIFO (mkfifo); Node has no mkfifo, coreutils' does the same.
      if (!existsSync(path)) {
        const r = spawnSync('mkfifo', ['-m', '0600', path]);
        if (r.status !== 0) throw new Error(`mkfifo ${path} failed: ${r.stderr?.toString().trim() || r.error?.message || 'unknown error'}`);
      }
      this.fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    } catch (e) {
      log.error({ fifo: path, err: e }, 'cannot open the notify FIFO; its lines are dropped');
    }
  }

  write(line: string): void {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, line);
    } catch (e) {
      // EAGAIN: the FIFO is full because nothing reads it; keepalived loses the line too.
      this.log.warn({ fifo: this.path, err: e, line: line.trim() }, 'notify FIFO line dropped');
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export class VrrpNotifier {
  private readonly fifos: Fifo[];
  /** Scripts still running: on shutdown notify_stop gets a moment to run before the process exits. */
  private readonly running = new Set<Promise<void>>();

  constructor(config: KeepalivedConfig, private readonly runner: ScriptRunner, private readonly log: Logger) {
    // keepalived writes VRRP lines to both notify_fifo and vrrp_notify_fifo when both are set.
    const paths = [config.global.notifyFifo?.path, config.global.vrrpNotifyFifo?.path].filter((p): p is string => typeof p === 'string');
    this.fifos = [...new Set(paths)].map((p) => new Fifo(p, log));
  }

  /** A state change of an instance or a sync group: the FIFO line, then the scripts. */
  state(kind: NotifyKind, name: string, notify: VrrpNotify, state: 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP', priority: number): void {
    this.line(kind, name, state, priority);
    for (const call of notifyScripts(notify, kind, name, state, priority)) this.run(call.script, call.args, `${kind} ${name} ${state}`);
  }

  /** keepalived's extra FIFO events (MASTER_RX_LOWER_PRI, priority changes), with their script if any. */
  event(name: string, event: FifoState, priority: number, script: ScriptSpec | null): void {
    this.line('INSTANCE', name, event, priority);
    if (script) this.run(script, [], `INSTANCE ${name} ${event}`);
  }

  /** Resolves when every script started so far has finished, or after `ms`, whichever is first. */
  settle(clock: Clock, ms: number): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = clock.setTimer(ms, resolve);
      void Promise.all(this.running).then(() => {
        clock.clearTimer(timer);
        resolve();
      });
    });
  }

  close(): void {
    for (const f of this.fifos) f.close();
  }

  private line(kind: NotifyKind, name: string, state: FifoState, priority: number): void {
    const text = fifoLine(kind, name, state, priority);
    for (const f of this.fifos) f.write(text);
  }

  private run(script: ScriptSpec, args: readonly string[], why: string): void {
    const done = this.runner.run(script, args, NOTIFY_TIMEOUT_MS).then((r) => {
      if (r.error !== null || r.exitCode !== 0) {
        this.log.warn({ script: script.argv[0], notify: why, exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, error: r.error }, 'notify script failed');
      }
    }).finally(() => this.running.delete(done));
    this.running.add(done);
  }
}
