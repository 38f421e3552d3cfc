import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LVSD = path.join(root, 'dist', 'src', 'daemon', 'main.js');
export const LVSADM = path.join(root, 'dist', 'src', 'cli', 'lvsadm.js');

/** Tests that run the real binaries build them first when a fresh checkout has no dist/. */
export function ensureBuilt(): void {
  if (!existsSync(LVSD) || !existsSync(LVSADM)) execFileSync(process.execPath, [path.join(root, 'scripts', 'ensure.mjs')], { stdio: 'inherit' });
}

export interface RunningDaemon {
  readonly proc: ChildProcess;
  readonly socket: string;
  readonly exited: Promise<number | null>;
  log(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts the real lvsd on a private control socket and waits until it answers. `nofile` runs it under that
 * open-file limit (util-linux prlimit execs lvsd, so the pid is lvsd's).
 */
export async function startDaemon(args: string[] = ['--dataplane', 'proxy'], opts: { readonly nofile?: number } = {}): Promise<RunningDaemon> {
  ensureBuilt();
  const socket = path.join(os.tmpdir(), `lvsd-test-${process.pid}-${Math.random().toString(36).slice(2)}.sock`);
  const argv = [LVSD, ...args, '--control', socket];
  const proc = opts.nofile === undefined
    ? spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('prlimit', [`--nofile=${opts.nofile}`, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 100; i++) {
    if (await canConnect(socket)) break;
    if (proc.exitCode !== null) throw new Error(`lvsd exited ${proc.exitCode}: ${out}`);
    await sleep(50);
  }
  return {
    proc,
    socket,
    exited,
    log: () => out,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

function canConnect(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

export interface LvsadmResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the real lvsadm binary against a daemon's socket. */
export function lvsadm(socket: string, args: string[], stdin = ''): Promise<LvsadmResult> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [LVSADM, ...args], { env: { ...process.env, LVSD_SOCKET: socket }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    c.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    c.stdin.end(stdin);
  });
}

/** Sends raw bytes on the control socket and collects the response lines until it closes or `lines` arrived. */
export function rawControl(socket: string, payload: string | Buffer, lines: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let buf = '';
    const got: string[] = [];
    const done = () => { c.destroy(); resolve(got); };
    c.setTimeout(5000, done);
    c.on('error', reject);
    c.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        got.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (got.length >= lines) done();
      }
    });
    c.on('close', () => resolve(got));
    c.write(payload);
  });
}
