/**
 * A VRRP director pair on one Ethernet segment, for the privileged tier and the takeover benchmark: network
 * namespaces `a` and `b` (the directors, 10.77.N.1 and .2) and `c` (a client and real server, .3) joined by a
 * bridge; lvsd (or any daemon) started in a or b; the adverts on the segment captured from c through the
 * project's own protocol-112 socket; c's neighbour entry for a virtual IP read to see whom it points at.
 * Everything lives in namespaces this lab makes, and teardown() removes them.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeVrrpTransport } from '../platform/vrrp-socket.js';
import type { VrrpChannel } from '../ports/vrrp-transport.js';
import { LVSD, ensureBuilt } from './daemon.js';
import { Lab } from './netns.js';

export interface LogLine {
  readonly at: number;
  readonly fields: Record<string, unknown>;
}

/** One lvsd process in a namespace, with its log lines as they arrived (pino JSON). */
export interface PairDaemon {
  readonly proc: ChildProcess;
  readonly lines: LogLine[];
  readonly exited: Promise<number | null>;
  /** The VRRP transitions logged for an instance, in order, with when each was seen. */
  states(instance: string): Array<{ readonly at: number; readonly state: string }>;
  text(): string;
}

export interface Advert {
  readonly at: number;
  readonly src: string;
  readonly vrid: number;
  readonly priority: number;
}

export class VrrpLab {
  readonly lab: Lab;
  readonly a: string;
  readonly b: string;
  readonly c: string;
  readonly dir: string;
  private readonly sockDir: string;
  private capture: VrrpChannel | null = null;
  readonly adverts: Advert[] = [];

  /** `net` picks the 10.77.<net>.0/24 segment so labs of different tests never share addresses. */
  constructor(tag: string, readonly net: number) {
    ensureBuilt();
    this.lab = new Lab(tag);
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-vrrp-pair-'));
    chmodSync(this.dir, 0o777);
    // Scripts running as nobody write in dir, but a control socket needs directories only their owner can change.
    this.sockDir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-vrrp-ctl-'));
    try {
      this.a = this.lab.host('a');
      this.b = this.lab.host('b');
      this.c = this.lab.host('c');
      this.lab.bridge([{ ns: this.a, addr: this.addr(1) + '/24' }, { ns: this.b, addr: this.addr(2) + '/24' }, { ns: this.c, addr: this.addr(3) + '/24' }]);
    } catch (e) {
      this.teardown();
      throw e;
    }
  }

  addr(host: number): string {
    return `10.77.${this.net}.${host}`;
  }

  /** Writes a file in the lab's directory (mode 0755 for scripts). */
  file(name: string, text: string, mode = 0o644): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, text, { mode });
    return p;
  }

  /** lvsd with the proxy plane in `ns`, running `conf` (written as <name>.conf); `args` are added to its command line. */
  start(ns: string, name: string, conf: string, args: readonly string[] = []): PairDaemon {
    const file = this.file(`${name}.conf`, conf);
    const proc = this.lab.spawn(ns, process.execPath, [LVSD, '-f', file, '--dataplane', 'proxy', '--control', path.join(this.sockDir, `${name}.sock`), '-i', name, ...args]);
    const lines: LogLine[] = [];
    let raw = '';
    let partial = '';
    const take = (d: Buffer) => {
      const at = performance.now();
      raw += d.toString();
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) {
        try {
          lines.push({ at, fields: JSON.parse(p) as Record<string, unknown> });
        } catch {
          // not a log line (a crash trace is kept in raw text)
        }
      }
    };
    proc.stdout?.on('data', take);
    proc.stderr?.on('data', (d: Buffer) => { raw += d.toString(); });
    const exited = new Promise<number | null>((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))));
    return {
      proc, lines, exited,
      states: (instance) => lines.filter((l) => l.fields.instance === instance && typeof l.fields.state === 'string' && String(l.fields.msg).startsWith('VRRP '))
        .map((l) => ({ at: l.at, state: String(l.fields.state) })),
      text: () => raw,
    };
  }

  /** Waits until `cond` holds, polling every 10 ms; the time it held, or an Error naming what was awaited. */
  async until(what: string, cond: () => boolean, ms: number): Promise<number> {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      if (cond()) return performance.now();
      await sleep(10);
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}`);
  }

  hasVip(ns: string, vip: string): boolean {
    return this.lab.exec(ns, 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'lan0']).includes(` ${vip}/`);
  }

  mac(ns: string): string {
    return /link\/ether ([0-9a-f:]+)/.exec(this.lab.exec(ns, 'ip', ['-o', 'link', 'show', 'dev', 'lan0']))?.[1] ?? '';
  }

  /** The MAC address c's neighbour table has for `ip`, or null. */
  neighbour(ip: string): string | null {
    return /lladdr ([0-9a-f:]+)/.exec(this.lab.exec(this.c, 'ip', ['neigh', 'show', ip, 'dev', 'lan0']))?.[1] ?? null;
  }

  /** Starts recording every IPv4 advert on the segment, from c. */
  captureAdverts(): void {
    this.capture = new NativeVrrpTransport({ netns: `/run/netns/${this.c}` }).open({
      family: 4, interface: 'lan0',
      onPacket: (p) => this.adverts.push({ at: performance.now(), src: p.src.text, vrid: p.bytes[1] ?? -1, priority: p.bytes[2] ?? -1 }),
    });
  }

  teardown(): void {
    this.capture?.close();
    this.lab.teardown();
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.sockDir, { recursive: true, force: true });
  }
}

/** The FIFO's lines so far (lvsd holds it open read-write, so what it wrote waits in the pipe); never blocks. */
export function fifoLines(path: string): string[] {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const buf = Buffer.alloc(65536);
    let n = 0;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
    }
    return buf.subarray(0, n).toString().split('\n').filter(Boolean);
  } finally {
    closeSync(fd);
  }
}
