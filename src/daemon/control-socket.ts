import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../ports/logger.js';

/** A request line longer than this is refused: the socket must not let a client grow our memory. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Answers one request line with one response object; it must not throw (errors are responses). */
export type RequestHandler = (line: string) => Promise<object>;

/**
 * The daemon's control socket: newline-delimited JSON, one response line per request line, answered in
 * order per connection. Garbage gets an error response, never a crash.
 */
export class ControlSocket {
  private readonly server: net.Server;
  private readonly clients = new Set<net.Socket>();

  constructor(private readonly socketPath: string, private readonly handle: RequestHandler, private readonly log: Logger) {
    this.server = net.createServer((c) => this.serve(c));
    this.server.on('error', (err) => log.error({ err }, 'control socket error'));
  }

  async listen(): Promise<void> {
    fs.mkdirSync(path.dirname(this.socketPath), { recursive: true, mode: 0o755 });
    await this.removeStale();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    // Only the owner (root for a system lvsd) may change the table.
    fs.chmodSync(this.socketPath, 0o600);
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A socket file left by a crashed lvsd is removed; one a live lvsd answers on is not. */
  private async removeStale(): Promise<void> {
    if (!fs.existsSync(this.socketPath)) return;
    const alive = await new Promise<boolean>((resolve) => {
      const probe = net.connect(this.socketPath);
      probe.once('connect', () => { probe.destroy(); resolve(true); });
      probe.once('error', () => resolve(false));
    });
    if (alive) throw new Error(`another lvsd is already listening on ${this.socketPath}`);
    fs.unlinkSync(this.socketPath);
  }

  private serve(c: net.Socket): void {
    this.clients.add(c);
    c.on('close', () => this.clients.delete(c));
    c.on('error', () => undefined);
    let buf = '';
    let queue = Promise.resolve();
    c.setEncoding('utf8');
    c.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > MAX_REQUEST_BYTES && !buf.includes('\n')) {
        this.log.warn({ bytes: buf.length }, 'control request too long; connection closed');
        c.end(`${JSON.stringify({ id: null, ok: false, error: { message: `request longer than ${MAX_REQUEST_BYTES} bytes` } })}\n`);
        c.destroy();
        buf = '';
        return;
      }
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() === '') continue;
        queue = queue.then(async () => {
          const res = await this.handle(line);
          if (!c.destroyed) c.write(`${JSON.stringify(res)}\n`);
        });
      }
    });
  }
}
