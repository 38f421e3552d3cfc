import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../ports/logger.js';
import { checkBoundSocket, secureDirectory, socketSlot } from '../control/socket-dir.js';
import { currentUid } from '../control/socket-path.js';
import { ByteBudget, CONTROL_LIMITS, type ControlLimits } from './control-budget.js';
import { ControlConnection, type RequestHandler } from './control-connection.js';

export type { RequestHandler } from './control-connection.js';

/**
 * The daemon's control socket: newline-delimited JSON, one response line per request line, answered in
 * order per connection (control-connection.ts). Garbage gets an error response, never a crash.
 *
 * Reach: the socket is born mode 0600 (umask 0177 around bind(2), so there is no moment another user could
 * connect and nothing is chmodded through a path), in a directory socket-dir.ts has checked no other user
 * can rearrange, bound at the checked, resolved path.
 */
export class ControlSocket {
  private readonly server: net.Server;
  private readonly clients = new Set<net.Socket>();
  private readonly input: ByteBudget;
  private readonly output: ByteBudget;

  constructor(
    private readonly socketPath: string,
    private readonly handle: RequestHandler,
    private readonly log: Logger,
    private readonly limits: ControlLimits = CONTROL_LIMITS,
    private readonly uid: number = currentUid(),
  ) {
    this.input = new ByteBudget(limits.totalInputBytes);
    this.output = new ByteBudget(limits.totalOutputBytes);
    this.server = net.createServer((c) => this.serve(c));
    this.server.maxConnections = limits.maxConnections;
    this.server.on('error', (err) => log.error({ err }, 'control socket error'));
  }

  /** Binds the socket; throws one sentence (SocketPathError or another lvsd) when it must not. */
  async listen(): Promise<void> {
    // A missing directory is made private (0700, and the umask can only narrow it).
    fs.mkdirSync(path.dirname(this.socketPath), { recursive: true, mode: 0o700 });
    const sock = path.join(secureDirectory(path.dirname(this.socketPath), this.uid), path.basename(this.socketPath));
    if (socketSlot(sock, this.uid) === 'ours') await this.removeStale(sock);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      // bind(2) happens inside listen() synchronously (libuv uv_pipe_bind), so the umask covers exactly it.
      const umask = process.umask(0o177);
      try {
        this.server.listen(sock, () => {
          this.server.off('error', reject);
          resolve();
        });
      } finally {
        process.umask(umask);
      }
    });
    try {
      checkBoundSocket(sock, this.uid);
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A socket of ours left by a crashed lvsd is removed; one a live lvsd answers on is not. */
  private async removeStale(sock: string): Promise<void> {
    const alive = await new Promise<boolean>((resolve) => {
      const probe = net.connect(sock);
      probe.once('connect', () => { probe.destroy(); resolve(true); });
      probe.once('error', () => resolve(false));
    });
    if (alive) throw new Error(`another lvsd is already listening on ${sock}`);
    fs.unlinkSync(sock);
  }

  private serve(c: net.Socket): void {
    this.clients.add(c);
    c.on('close', () => this.clients.delete(c));
    new ControlConnection(c, { handle: this.handle, log: this.log, limits: this.limits, input: this.input, output: this.output });
  }
}
