/**
 * How long a reload of N real servers stalls traffic (issue 11: 40,000 froze the proxy plane and the control
 * socket for 11.3 s). lvsd: the real daemon (proxy plane) runs the file; during a SIGHUP reload a probe
 * sends a request through the proxy plane and one on the control socket every 10 ms, each on its own
 * connection to be served; the figure is the longest any took. Anchor: the part of the old path that
 * config-worker.ts moved off the event loop — the same file read there (loadConfig + desiredTable), its
 * event-loop pause measured in this process. It leaves out what a reload still does on the event loop
 * (read-back of the table, diff, apply; now in slices that yield, see ports/pause.ts), so a ratio above 1
 * means that remainder stalls longer than the parse did. Both from the same run, and the ratio; the probes'
 * longest round trip over a quiet 2 s before the reload is printed too (the machine's own floor).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/reload-stall.js [N]     (default 100,000)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/daemon/config-source.js';
import { desiredTable } from '../src/reconcile/desired.js';
import { namedServer, whoAnswers } from '../src/testing/servers.js';
import { freePort } from '../src/platform/free-port.js';

const N = Number(process.argv[2] ?? 100_000);
const PER_VS = 1000;
const VIP = '127.0.0.60';
const lvsd = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'daemon', 'main.js');

/**
 * One served virtual server (the probe's) and N real servers in virtual servers of 1,000 that see no traffic,
 * on loopback addresses (the proxy plane listens on each; an address not on this host is refused).
 */
function config(vport: number, real: number): string {
  const out = [`virtual_server ${VIP} ${vport} {`, '  lb_algo rr', '  lb_kind NAT', '  protocol TCP', `  real_server 127.0.0.61 ${real} {`, '    weight 1', '  }', '}'];
  for (let v = 0; v * PER_VS < N; v++) {
    out.push(`virtual_server 127.61.${v >> 8}.${v & 255} ${vport} {`, '  lb_algo wlc', '  lb_kind NAT', '  protocol TCP');
    for (let i = v * PER_VS; i < Math.min(N, (v + 1) * PER_VS); i++) out.push(`  real_server 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} 8080 {`, '    weight 1', '  }');
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

function controlOnce(sock: string, id: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = net.connect(sock);
    c.once('error', reject);
    c.once('data', () => { c.destroy(); resolve(); });
    c.write(`{"v":1,"id":${id},"method":"overrides"}\n`);
  });
}

/** Runs `send` every 10 ms until stopped; resolves with the longest round trip (ms) and the failures. */
function probe(send: (i: number) => Promise<unknown>): { stop(): Promise<{ max: number; failed: number; count: number }> } {
  let running = true;
  let max = 0;
  let failed = 0;
  let count = 0;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const t0 = performance.now();
      try {
        await send(i);
      } catch {
        failed++;
      }
      max = Math.max(max, performance.now() - t0);
      count++;
      await sleep(10);
    }
  })();
  return { stop: async () => { running = false; await loop; return { max, failed, count }; } };
}

async function waitFor(log: () => string, re: RegExp, from: number, ms: number): Promise<void> {
  for (const end = performance.now() + ms; performance.now() < end; await sleep(50)) if (re.test(log().slice(from))) return;
  throw new Error(`lvsd never logged ${re}: ${log().slice(from, from + 2000)}`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'lvsd-bench-reload-'));
const real = await namedServer('127.0.0.61');
try {
  const vport = await freePort(VIP);
  const file = path.join(dir, 'keepalived.conf');
  writeFileSync(file, config(vport, real.port));

  // Anchor: the old path on this event loop.
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const t0 = performance.now();
  const loaded = loadConfig(file, 'bench');
  if (loaded.config) desiredTable(loaded.config);
  const syncMs = performance.now() - t0;
  await sleep(20);
  h.disable();
  const anchor = Math.max(syncMs, h.max / 1e6);

  const sock = path.join(dir, 'lvsd.sock');
  const d = spawn(process.execPath, [lvsd, '--dataplane', 'proxy', '--control', sock, '-f', file, '--reconcile-interval', '3600'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  d.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  d.stderr.on('data', (b: Buffer) => { out += b.toString(); });
  try {
    await waitFor(() => out, /lvsd started/, 0, 600_000);
    const mark = out.length;
    // The same probes over a quiet stretch first: on a shared machine a request's round trip has a floor of its
    // own, and the reload's figure means something only beside it.
    const quietProxy = probe(() => whoAnswers(VIP, vport));
    const quietControl = probe((i) => controlOnce(sock, i));
    await sleep(2000);
    const qp = await quietProxy.stop();
    const qc = await quietControl.stop();
    const proxy = probe(() => whoAnswers(VIP, vport));
    const control = probe((i) => controlOnce(sock, i));
    await sleep(500);
    const r0 = performance.now();
    d.kill('SIGHUP');
    await waitFor(() => out, /configuration applied|reload failed|configuration has errors/, mark, 600_000);
    const reloadMs = performance.now() - r0;
    await sleep(500);
    const p = await proxy.stop();
    const c = await control.stop();
    const worst = Math.max(p.max, c.max);
    process.stdout.write(`reload of ${N} real servers (${Math.ceil(N / PER_VS) + 1} virtual servers), ${(reloadMs / 1000).toFixed(1)} s to apply\n`);
    process.stdout.write(`  quiet (no reload, 2 s): longest proxy request ${qp.max.toFixed(0)} ms, longest control request ${qc.max.toFixed(0)} ms\n`);
    process.stdout.write(`  lvsd (config in a worker thread, table work in slices): longest proxy request ${p.max.toFixed(0)} ms (${p.count} sent, ${p.failed} failed), longest control request ${c.max.toFixed(0)} ms (${c.count} sent, ${c.failed} failed)\n`);
    process.stdout.write(`  anchor (the file read on the event loop, the part now in a worker): event loop paused ${anchor.toFixed(0)} ms\n`);
    process.stdout.write(`  ratio lvsd/anchor: ${(worst / anchor).toFixed(3)}\n`);
  } finally {
    d.kill('SIGTERM');
  }
} finally {
  real.server.close();
  rmSync(dir, { recursive: true, force: true });
}
