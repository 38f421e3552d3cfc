/**
 * Real peers for the checker tests, each a child process on loopback with its config in a temp dir the
 * test owns: nginx (HTTP, HTTPS with SNI), dnsmasq (DNS), OpenSMTPD (SMTP). stop() kills and waits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Peer {
  readonly child: ChildProcess;
  stop(): Promise<void>;
  /** The tail of its stderr, for a failing test's message. */
  log(): string;
}

/** Why a peer binary is missing, or null when all are on PATH. */
export function missing(...bins: string[]): string | null {
  for (const b of bins) {
    try {
      execFileSync('sh', ['-c', `command -v ${b}`], { stdio: 'ignore' });
    } catch {
      return `needs ${b} (apt-get install the package that has it)`;
    }
  }
  return null;
}

export function tempDir(tag: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `lvsd-${tag}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves once host:port accepts a TCP connection; throws after ms. */
export async function waitPort(host: string, port: number, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect({ host, port }, () => { c.destroy(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${host}:${port} after ${ms} ms`);
    await sleep(50);
  }
}

function launch(cmd: string, args: string[]): Peer {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
  child.on('error', () => undefined);
  return {
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // SIGTERM first: OpenSMTPD's parent then takes its worker processes (which hold the listener) down with it.
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(late);
    },
    log: () => `${cmd}: ${err}`,
  };
}

/** A self-signed certificate for name; returns the cert and key paths. */
export function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return { cert, key };
}

/** nginx in the foreground, one process, with `http` as the body of its http { } block. */
export async function startNginx(dir: string, http: string, wait: readonly [string, number]): Promise<Peer> {
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  const tmp = path.join(dir, 'tmp');
  writeFileSync(conf, `daemon off; master_process off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 64; }
http { access_log off; client_body_temp_path ${tmp}; proxy_temp_path ${tmp}; fastcgi_temp_path ${tmp}; uwsgi_temp_path ${tmp}; scgi_temp_path ${tmp};
${http}
}
`);
  const p = launch('nginx', ['-p', dir, '-c', conf]);
  await waitPort(...wait);
  return p;
}

/** dnsmasq answering from its own config only (no upstream, no /etc/hosts). */
export async function startDnsmasq(dir: string, host: string, port: number, extra: string[]): Promise<Peer> {
  const p = launch('dnsmasq', ['--keep-in-foreground', '--no-resolv', '--no-hosts', `--listen-address=${host}`, '--bind-interfaces',
    `--port=${port}`, `--pid-file=${dir}/dnsmasq.pid`, '--user=root', '--log-facility=-', ...extra]);
  // dnsmasq has no TCP readiness here worth waiting on: it also listens on TCP for DNS.
  await waitPort(host, port);
  return p;
}

/** OpenSMTPD in the foreground, listening on each host:port given; `rules` replace the default relay rule. */
export async function startSmtpd(dir: string, listen: readonly (readonly [string, number])[],
  rules = 'action "relay" relay\nmatch from local for any action "relay"\n'): Promise<Peer> {
  const conf = path.join(dir, 'smtpd.conf');
  writeFileSync(conf, `${listen.map(([h, p]) => `listen on ${h} port ${p}\n`).join('')}${rules}`);
  chmodSync(conf, 0o600);
  const p = launch('smtpd', ['-d', '-f', conf]);
  for (const [h, port] of listen) await waitPort(h, port);
  return p;
}
