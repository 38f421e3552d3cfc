/**
 * notify_fifo / lvs_notify_fifo as keepalived opens them (core/global_data.c fifo_open, fifo_close): the FIFO is
 * made with mkfifo 0644 unless it exists, its _script (if any) is started with the FIFO's name appended, and the
 * FIFO is opened O_RDWR | O_NONBLOCK so neither opening nor writing waits for a reader. A line that does not fit
 * (no reader draining it) is dropped, as keepalived ignores a failed write(). A FIFO lvsd made is removed on close.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NotifyFifo } from '../model/config-global.js';

export interface FifoOpenResult {
  readonly writer: NotifyFifoWriter | null;
  /** Why it could not be opened (logged by the caller; keepalived logs and carries on without it). */
  readonly error: string | null;
}

export class NotifyFifoWriter {
  private fd: number | null;
  /** Lines dropped because the FIFO was full or gone. */
  dropped = 0;

  private constructor(readonly path: string, fd: number, private readonly created: boolean, private readonly tempDir: string | null) {
    this.fd = fd;
  }

  /**
   * Opens (making it if needed) the FIFO; `startScript` runs the _script with the FIFO's path. Without a path but
   * with a script, keepalived makes a FIFO of its own under a temporary name: so does this.
   */
  static open(cfg: NotifyFifo, startScript: (path: string) => void): FifoOpenResult {
    let tempDir: string | null = null;
    let path = cfg.path;
    if (path === null) {
      if (!cfg.script) return { writer: null, error: null };
      tempDir = mkdtempSync(join(tmpdir(), 'lvsd-fifo-'));
      path = join(tempDir, 'notify_fifo');
    }
    let created = false;
    try {
      statSync(path);
    } catch {
      try {
        // node has no mkfifo: coreutils' does the one system call; then fifo_open's mode, S_IRUSR|S_IWUSR|S_IRGRP|S_IROTH
        // less the umask as mkfifo(3) applies it.
        execFileSync('mkfifo', [path], { stdio: 'ignore' });
        created = true;
        chmodSync(path, 0o644 & ~process.umask());
      } catch (e) {
        return { writer: null, error: `cannot create notify FIFO ${path}: ${(e as Error).message}` };
      }
    }
    if (!statSync(path).isFIFO()) return { writer: null, error: `notify FIFO ${path} exists and is not a FIFO` };
    if (cfg.script) startScript(path);
    try {
      const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
      return { writer: new NotifyFifoWriter(path, fd, created, tempDir), error: null };
    } catch (e) {
      if (created) rmSync(path, { force: true });
      return { writer: null, error: `cannot open notify FIFO ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
  }

  /** Writes one line (newline added) in one write(): under PIPE_BUF it reaches a reader whole. */
  write(line: string): void {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, `${line}\n`);
    } catch {
      // EAGAIN (no reader draining it) or EPIPE: keepalived drops the line the same way.
      this.dropped++;
    }
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    if (this.created) rmSync(this.path, { force: true });
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}
