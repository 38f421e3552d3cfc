/**
 * Health checking at scale (issue 12): N real servers with TCP_CHECK and M with HTTP_GET, delay_loop 1 s, against
 * loopback listeners, for a measured window. lvsd beside keepalived's checker process, in one user-mode Linux boot
 * (keepalived's checker needs kernel IPVS to start, which only the guest has), on the same real servers, one daemon
 * after the other: the guest has one CPU, and two checkers running at once would each bill the other's load.
 *
 *   CPU     user + system seconds per wall second over the window, from /proc/PID/stat (keepalived: its checker
 *           child, from its -c pid file; lvsd: its one process).
 *   late    checks that started more than 100 ms after due. Both: inferred by the listeners (a gap longer than
 *           delay_loop + 100 ms between two checks of one server). lvsd also: its runner's own count through the
 *           Clock (the "checker timing" line it logs at stop, over its whole run).
 *
 *   npm run build && node dist/bench/health-checks.js [--tcp=10000] [--http=2000] [--seconds=60]
 *
 * Without user-mode Linux (or IPVS modules for it) it prints why and exits 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import type { ListenerFigures } from '../src/testing/kernel/check-listeners.js';
import { GUEST_NODE_FLAGS } from '../src/testing/kernel/guest-env.js';
import { guestProgram } from '../src/testing/kernel/lab.js';
import { LvsdProcess } from '../src/testing/kernel/lvsd-process.js';
import { Lab } from '../src/testing/netns.js';
import { bootUml, canRunUml, UmlError } from '../src/testing/uml.js';

const RESULT = 'health-checks.json';
const TCP_BASE = 20_000;
const HTTP_BASE = 40_000;
/** Starting a daemon on the whole table and its first round of checks, in the slow guest. */
const SETTLE_MS = 240_000;
const STOP_MS = 60_000;

interface Side {
  cpuPerS: number;
  /** From the daemon's start until every server had been checked once; null when that never happened. */
  settledMs: number | null;
  listener: ListenerFigures;
  /** lvsd only: its runner's own figures over its whole run. */
  own?: { started: number; late: number; worstLateMs: number };
}

interface Figures {
  tcp: number;
  http: number;
  seconds: number;
  keepalived: Side;
  lvsd: Side;
}

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const v = arg === undefined ? fallback : Number(arg.slice(name.length + 3));
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} wants a whole number, not '${arg}'`);
  return v;
}

function benchConf(tcp: number, http: number): string {
  const out = ['global_defs {', '  router_id lvsd-bench', '}'];
  const service = (vip: string, n: number, base: number, check: string): void => {
    if (n === 0) return;
    out.push(`virtual_server ${vip} 80 {`, '  delay_loop 1', '  lb_algo rr', '  lb_kind NAT', '  protocol TCP');
    for (let i = 0; i < n; i++) out.push(`  real_server 127.0.0.1 ${base + i} {`, `    ${check}`, '  }');
    out.push('}');
  };
  service('10.98.0.1', tcp, TCP_BASE, 'TCP_CHECK { connect_timeout 3 }');
  service('10.98.0.2', http, HTTP_BASE, 'HTTP_GET { url { path / status_code 200 } connect_timeout 3 }');
  return `${out.join('\n')}\n`;
}

/** user + system seconds of a process so far (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The listeners' stdout, line by line, with a way to wait for one. */
function lines(child: ChildProcess): (want: (l: string) => boolean, ms: number) => Promise<string> {
  const seen: string[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    seen.push(...parts);
  });
  return async (want, ms) => {
    const until = Date.now() + ms;
    for (;;) {
      const i = seen.findIndex(want);
      if (i >= 0) return seen.splice(0, i + 1).at(-1)!;
      if (child.exitCode !== null) throw new Error(`the listeners exited (${child.exitCode})`);
      if (Date.now() > until) throw new Error(`the listeners did not answer in ${ms} ms`);
      await sleep(50);
    }
  };
}

async function measure(lab: Lab, ns: string, seconds: number, start: (ns: string) => { pid: () => number; stop: () => Promise<Side['own']> }): Promise<Side> {
  const listeners = lab.spawn(ns, process.execPath, [...GUEST_NODE_FLAGS,
    guestProgram('check-listeners'), String(TCP_BASE), String(figures.tcp), String(HTTP_BASE), String(figures.http)]);
  const next = lines(listeners);
  await next((l) => l === 'ready', 120_000);
  const t = performance.now();
  const d = start(ns);
  // A daemon that never checks every server still gets its window measured: the table says how many it reached.
  const settledMs = await next((l) => l === 'all-seen', SETTLE_MS).then(() => Math.round(performance.now() - t), () => null);
  // One more delay_loop, so the window starts with every server's loop running.
  await sleep(1500);
  listeners.kill('SIGUSR1');
  await next((l) => l === 'reset', 10_000);
  const pid = d.pid();
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const cpu1 = cpuSeconds(pid);
  const wall = (performance.now() - t0) / 1000;
  listeners.kill('SIGUSR2');
  const listener = JSON.parse(await next((l) => l.startsWith('{'), 30_000)) as ListenerFigures;
  const own = await d.stop();
  listeners.kill('SIGKILL');
  return { cpuPerS: (cpu1 - cpu0) / wall, settledMs, listener, ...(own ? { own } : {}) };
}

const figures = { tcp: option('tcp', 10_000), http: option('http', 2_000), seconds: option('seconds', 60) };

async function guest(results: string): Promise<void> {
  const lab = new Lab('hc');
  try {
    const conf = '/run/health-checks.conf';
    writeFileSync(conf, benchConf(figures.tcp, figures.http));
    const keepalived = await measure(lab, lab.host('ka'), figures.seconds, (ns) => {
      const k = lab.spawn(ns, 'keepalived', ['-n', '-l', '-C', '-f', conf, '-p', '/run/hc-keepalived.pid', '-c', '/run/hc-checkers.pid']);
      k.stdout?.resume();
      k.stderr?.resume();
      return {
        pid: () => Number(readFileSync('/run/hc-checkers.pid', 'utf8').trim()),
        stop: async () => {
          k.kill('SIGTERM');
          await Promise.race([new Promise((r) => k.once('exit', r)), sleep(STOP_MS)]);
          return undefined;
        },
      };
    });
    const lvsd = await measure(lab, lab.host('lvsd'), figures.seconds, (ns) => {
      const p = LvsdProcess.start(lab, ns, ['-f', conf, '--dataplane', 'ipvs', '--control', '/run/hc-lvsd.sock', '--log-level', 'info']);
      return {
        pid: () => p.pid,
        stop: async () => {
          await p.stop(STOP_MS);
          const line = p.messages('checker timing')[0];
          return line ? { started: Number(line.started), late: Number(line.late), worstLateMs: Number(line.worstLateMs) } : undefined;
        },
      };
    });
    writeFileSync(path.join(results, RESULT), JSON.stringify({ ...figures, keepalived, lvsd } satisfies Figures));
  } finally {
    lab.teardown();
  }
}

function report(f: Figures): string {
  const k = f.keepalived;
  const l = f.lvsd;
  const row = (name: string, a: string, b: string, ratio = ''): string => `${name.padEnd(34)}${a.padStart(12)}${b.padStart(14)}${ratio.padStart(10)}`;
  const pct = (s: Side): string => `${(s.cpuPerS * 100).toFixed(1)}%`;
  const settled = (s: Side): string => (s.settledMs === null ? 'never' : `${(s.settledMs / 1000).toFixed(1)} s`);
  return [
    `${f.tcp} TCP_CHECK + ${f.http} HTTP_GET real servers, delay_loop 1 s, ${f.seconds} s window, one after the other in user-mode Linux`,
    row('', 'lvsd', 'keepalived', 'ratio'),
    row('CPU (user+system per wall s)', pct(l), pct(k), `${(l.cpuPerS / k.cpuPerS).toFixed(2)}×`),
    row('start until every server checked', settled(l), settled(k)),
    row('checks seen by the listeners', String(l.listener.checks), String(k.listener.checks), `${(l.listener.checks / k.listener.checks).toFixed(2)}×`),
    row('servers checked in the window', `${l.listener.seen}/${l.listener.servers}`, `${k.listener.seen}/${k.listener.servers}`),
    row('late (gap > 1.1 s, listeners)', String(l.listener.late), String(k.listener.late)),
    row('worst gap between checks (ms)', String(l.listener.worstGapMs), String(k.listener.worstGapMs)),
    l.own ? `lvsd's own count over its whole run: ${l.own.started} checks started, ${l.own.late} more than 100 ms late (worst ${l.own.worstLateMs} ms)` : "lvsd logged no 'checker timing' line",
    'targets: lvsd ≤ 25% of one core, no late check, CPU ≤ keepalived\'s',
  ].join('\n');
}

async function host(): Promise<number> {
  const unavailable = canRunUml();
  if (unavailable) {
    process.stdout.write(`health-checks skipped: ${unavailable}\n`);
    return 0;
  }
  const self = fileURLToPath(import.meta.url);
  const args = Object.entries(figures).map(([k, v]) => `--${k}=${v}`);
  try {
    const run = await bootUml({
      // Every process of the guest (listeners, keepalived, lvsd) may hold one socket per real server at once.
      script: `ulimit -n 1048576 && exec node ${GUEST_NODE_FLAGS.join(' ')} '${self}' --guest "$LVSD_UML_RESULTS" ${args.join(' ')}\n`,
      timeoutMs: 2 * (SETTLE_MS + STOP_MS + figures.seconds * 1000) + 240_000,
      memMb: 2048,
    });
    const text = run.files.get(RESULT);
    if (text === undefined) {
      process.stdout.write(`health-checks: the guest wrote no figures${run.timedOut ? ' (timed out)' : ''}; console tail:\n${run.console.split('\n').slice(-30).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`${report(JSON.parse(text) as Figures)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UmlError && e.environmental) {
      process.stdout.write(`health-checks skipped: ${e.message}\n`);
      return 0;
    }
    throw e;
  }
}

const guestAt = process.argv.indexOf('--guest');
const main = guestAt >= 0 ? guest(process.argv[guestAt + 1] ?? '/tmp').then(() => 0) : host();
// Exit explicitly: the guest side may still hold the daemons' pipes.
main.then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`health-checks: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
