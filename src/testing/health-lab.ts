/**
 * What the daemon-level health tests share: real servers on loopback that can be killed (listener closed,
 * connections cut: a check is refused) and brought back on the same port, a reader of a notify FIFO, polling of
 * the daemon's table and health over its control socket, and a scratch directory for the config and scripts.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SocketBackend } from '../cli/client.js';
import type { VirtualServerSnapshot } from '../health/snapshot.js';
import type { TableSnapshot } from '../model/table.js';

/** A named real server (says its name on each connection, as testing/servers.ts namedServer) that can die and return. */
export class KillableServer {
  private server: net.Server | null = null;
  private readonly conns = new Set<net.Socket>();

  private constructor(readonly host: string, readonly port: number, readonly name: string) {}

  static async start(host: string, name = host): Promise<KillableServer> {
    const probe = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(0, host, () => resolve((probe.address() as net.AddressInfo).port));
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const s = new KillableServer(host, port, name);
    await s.revive();
    return s;
  }

  get alive(): boolean {
    return this.server !== null;
  }

  /** Listens again on the same port. */
  async revive(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((c) => {
      this.conns.add(c);
      c.on('error', () => undefined);
      c.on('close', () => this.conns.delete(c));
      c.end(`${this.name}\n`);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and cuts what is connected: from now on a connection is refused. */
  kill(): void {
    this.server?.close();
    this.server = null;
    for (const c of this.conns) c.destroy();
  }
}

/** Polls `probe` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** The daemon seen through its control socket, as lvsadm sees it. */
export class DaemonView {
  private readonly backend: SocketBackend;

  constructor(socket: string) {
    this.backend = new SocketBackend(socket, 5_000);
  }

  snapshot(): Promise<TableSnapshot> {
    return this.backend.snapshot();
  }

  health(): Promise<readonly VirtualServerSnapshot[]> {
    return this.backend.health();
  }

  /** `addr:port weight` of every real server in the table, sorted. */
  async dests(): Promise<string[]> {
    const s = await this.snapshot();
    return s.services.flatMap((e) => e.dests.map((d) => `${d.spec.addr.text}:${d.spec.port} w${d.spec.weight}`)).sort();
  }

  close(): void {
    this.backend.close();
  }
}

/** Collects the lines written to a FIFO (opened for reading; the daemon holds it open read-write). */
export class FifoReader {
  private buf = '';
  readonly lines: string[] = [];
  private readonly stream: fs.ReadStream;

  constructor(file: string) {
    this.stream = fs.createReadStream(file, { encoding: 'utf8' });
    this.stream.on('data', (d) => {
      this.buf += String(d);
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, nl));
        this.buf = this.buf.slice(nl + 1);
      }
    });
    this.stream.on('error', () => undefined);
  }

  close(): void {
    this.stream.destroy();
  }
}

/** A scratch directory removed at teardown, and an executable script in it. */
export function scratch(register: (fn: () => void) => void): { dir: string; script: (name: string, body: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-health-'));
  register(() => fs.rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    script: (name, body) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    },
  };
}
