/**
 * Debian's headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON
 * messages ending in NUL on fds 3 and 4), so a test needs no WebSocket client and no puppeteer. One
 * browser serves every check of a test: starting Chromium is the slow part.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

interface Pending {
  resolve(v: Record<string, unknown>): void;
  reject(e: Error): void;
}

export class Chromium {
  private nextId = 1;
  private buf = '';
  private readonly pending = new Map<number, Pending>();
  private readonly profile = mkdtempSync(path.join(os.tmpdir(), 'lvsd-chromium-'));
  private readonly proc: ChildProcess;
  private readonly toBrowser: Writable;

  constructor(width = 1200, height = 800) {
    this.proc = spawn('chromium', [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--remote-debugging-pipe',
      `--user-data-dir=${this.profile}`, `--window-size=${width},${height}`, 'about:blank',
    ], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    this.toBrowser = this.proc.stdio[3] as Writable;
    (this.proc.stdio[4] as Readable).on('data', (d: Buffer) => this.onData(d.toString('utf8')));
    this.proc.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('chromium exited'));
      this.pending.clear();
    });
  }

  /** Sends one DevTools command (to a page when sessionId is given) and resolves to its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`chromium did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
    });
  }

  /** Opens a page at url and returns its session. */
  async open(url: string): Promise<Page> {
    const { targetId } = await this.send('Target.createTarget', { url }) as { targetId: string };
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true }) as { sessionId: string };
    return new Page(this, sessionId);
  }

  async close(): Promise<void> {
    if (this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGKILL');
      await exited;
    }
    rmSync(this.profile, { recursive: true, force: true });
  }

  private onData(s: string): void {
    this.buf += s;
    let end: number;
    while ((end = this.buf.indexOf('\0')) >= 0) {
      const msg = JSON.parse(this.buf.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      this.buf = this.buf.slice(end + 1);
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p || msg.id === undefined) continue;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result ?? {});
    }
  }
}

export class Page {
  constructor(private readonly browser: Chromium, private readonly session: string) {}

  /** Evaluates an expression in the page; its value must be JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.browser.send('Runtime.evaluate', { expression, returnByValue: true }, this.session) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`page threw: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** Polls `expression` until `ok` holds for its value, or fails after timeoutMs with the last value. */
  async waitFor<T>(expression: string, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    while (Date.now() < deadline) {
      try {
        last = await this.evaluate<T>(expression);
        if (ok(last)) return last;
      } catch {
        // the page may be navigating still
      }
      await sleep(100);
    }
    throw new Error(`page never satisfied the condition; last value ${JSON.stringify(last)}`);
  }

  async screenshot(): Promise<Buffer> {
    const r = await this.browser.send('Page.captureScreenshot', { format: 'png' }, this.session) as { data: string };
    return Buffer.from(r.data, 'base64');
  }
}
