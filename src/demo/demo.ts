import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../platform/free-port.js';

// The main job on the embedded default: lvsd with the proxy plane on loopback, three HTTP real servers,
// a weighted service, a bounded burst of requests, then one real server drained with weight 0.

const here = path.dirname(fileURLToPath(import.meta.url));
const LVSD = path.join(here, '..', 'daemon', 'main.js');
const LVSADM = path.join(here, '..', 'cli', 'lvsadm.js');
const VIP = '127.0.0.10';
const REALS = [
  { addr: '127.0.0.11', weight: 3 },
  { addr: '127.0.0.12', weight: 2 },
  { addr: '127.0.0.13', weight: 1 },
];
const BURST = 300;


function lvsadm(socket: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [LVSADM, ...args], { env: { ...process.env, LVSD_SOCKET: socket } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`lvsadm ${args.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** n requests, 10 at a time; `midway` runs once half of them are done (the stats view while traffic flows). */
async function burst(url: string, n: number, midway: () => Promise<void>): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i += 10) {
    if (i === Math.floor(n / 20) * 10) await midway();
    const bodies = await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => get(url)));
    for (const b of bodies) seen.set(b, (seen.get(b) ?? 0) + 1);
  }
  return seen;
}

async function main(): Promise<void> {
  const servers = await Promise.all(REALS.map(async (r) => {
    const s = http.createServer((_req, res) => res.end(r.addr));
    await new Promise<void>((resolve) => s.listen(0, r.addr, resolve));
    return { ...r, server: s, port: (s.address() as net.AddressInfo).port };
  }));
  const vport = await freePort(VIP);
  const socket = path.join(os.tmpdir(), `lvsd-demo-${process.pid}.sock`);
  const daemon = spawn(process.execPath, [LVSD, '--dataplane', 'proxy', '--control', socket, '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const stopped = new Promise<number | null>((resolve) => daemon.on('exit', (code) => resolve(code)));
  try {
    for (let i = 0; i < 50; i++) {
      try { await lvsadm(socket, ['-Ln']); break; } catch { await sleep(100); }
    }
    const svc = `${VIP}:${vport}`;
    console.log(`# lvsd (proxy data plane) on ${svc}; real servers ${servers.map((s) => `${s.addr}:${s.port} w${s.weight}`).join(', ')}`);
    await lvsadm(socket, ['-A', '-t', svc, '-s', 'wrr']);
    for (const s of servers) await lvsadm(socket, ['-a', '-t', svc, '-r', `${s.addr}:${s.port}`, '-m', '-w', String(s.weight)]);
    console.log(`\n$ lvsadm -Ln\n${await lvsadm(socket, ['-Ln'])}`);

    const stats = async (when: string) => console.log(`\n$ lvsadm -Ln --stats    # ${when}\n${await lvsadm(socket, ['-Ln', '--stats'])}`);
    const first = await burst(`http://${svc}/`, BURST, () => stats(`halfway through ${BURST} requests`));
    console.log(`# ${BURST} requests: ${[...first].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    await stats('after the burst');

    const drained = servers[0]!;
    await lvsadm(socket, ['-e', '-t', svc, '-r', `${drained.addr}:${drained.port}`, '-m', '-w', '0']);
    console.log(`# ${drained.addr} set to weight 0 (draining)`);
    const second = await burst(`http://${svc}/`, BURST, () => stats(`draining ${drained.addr}, halfway`));
    console.log(`# ${BURST} more requests: ${[...second].map(([k, v]) => `${k}=${v}`).join(' ')} (${drained.addr} got ${second.get(drained.addr) ?? 0})`);
    await stats('after draining');
    console.log(`$ lvsadm -Ln\n${await lvsadm(socket, ['-Ln'])}`);
    if ((second.get(drained.addr) ?? 0) !== 0) throw new Error('the drained real server still received new connections');
  } finally {
    daemon.kill('SIGTERM');
    const code = await stopped;
    for (const s of servers) s.server.close();
    console.log(`# lvsd stopped (exit ${code})`);
  }
}

main().catch((e: unknown) => {
  console.error(`demo failed: ${(e as Error).message}`);
  process.exit(1);
});
