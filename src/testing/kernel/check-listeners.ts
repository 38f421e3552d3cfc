import http from 'node:http';
import net from 'node:net';

/**
 * The real servers of bench/health-checks.ts, one guest program: `node check-listeners.js TCP_BASE N_TCP HTTP_BASE
 * N_HTTP` listens on 127.0.0.1 ports TCP_BASE… (accept and close) and HTTP_BASE… (200 to every request), and notes
 * when each server was checked. A checker's next check is due delay_loop after the previous one ended, so a gap
 * between two checks of one server longer than delay_loop + LATE_MS is a check that started late: that is how
 * keepalived's lateness is measured (it has no counter of its own), and lvsd's the same way beside its own count.
 *
 * SIGUSR1 starts a measuring window (prints `reset`), SIGUSR2 prints one JSON line of the window's figures (signals,
 * as the lab starts programs without stdin). Prints `ready` once every port listens, and `all-seen` once every
 * server has been checked since the last reset.
 */

const DELAY_LOOP_MS = 1000;
const LATE_MS = 100;

export interface ListenerFigures {
  servers: number;
  /** Servers checked at least once in the window. */
  seen: number;
  checks: number;
  /** Gaps longer than DELAY_LOOP_MS + LATE_MS between two checks of one server. */
  late: number;
  worstGapMs: number;
  windowMs: number;
}

const [tcpBase, nTcp, httpBase, nHttp] = process.argv.slice(2).map(Number);
if ([tcpBase, nTcp, httpBase, nHttp].some((n) => n === undefined || !Number.isInteger(n) || n < 0)) {
  process.stderr.write('usage: check-listeners.js TCP_BASE N_TCP HTTP_BASE N_HTTP\n');
  process.exit(2);
}
const total = nTcp! + nHttp!;
const last = new Float64Array(total);
let windowStart = performance.now();
let seen = 0;
let checks = 0;
let late = 0;
let worstGapMs = 0;

function checked(i: number): void {
  const now = performance.now();
  const prev = last[i]!;
  last[i] = now;
  checks++;
  if (prev === 0) {
    if (++seen === total) process.stdout.write('all-seen\n');
    return;
  }
  const gap = now - prev;
  if (gap > worstGapMs) worstGapMs = gap;
  if (gap > DELAY_LOOP_MS + LATE_MS) late++;
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', backlog: 1024 }, () => resolve());
  });
}

async function main(): Promise<void> {
  const started: Promise<void>[] = [];
  for (let i = 0; i < nTcp!; i++) {
    started.push(listen(net.createServer((c) => {
      checked(i);
      c.on('error', () => undefined).end();
    }), tcpBase! + i));
  }
  for (let j = 0; j < nHttp!; j++) {
    const server = http.createServer((req, res) => {
      checked(nTcp! + j);
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' }).end('ok\n');
    });
    started.push(listen(server, httpBase! + j));
  }
  await Promise.all(started);
  process.stdout.write('ready\n');
  process.on('SIGUSR1', () => {
    last.fill(0);
    seen = checks = late = worstGapMs = 0;
    windowStart = performance.now();
    process.stdout.write('reset\n');
  });
  process.on('SIGUSR2', () => {
    const f: ListenerFigures = { servers: total, seen, checks, late, worstGapMs: Math.round(worstGapMs), windowMs: Math.round(performance.now() - windowStart) };
    process.stdout.write(`${JSON.stringify(f)}\n`);
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`check-listeners: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
