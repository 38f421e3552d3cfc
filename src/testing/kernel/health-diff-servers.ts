import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

/**
 * The real servers of the health differential (health-diff.ts), one guest program in the scenario's namespace:
 * `node health-diff-servers.js STATE_DIR ADDR TCP_PORT HTTP_PORT`. The scenario scripts failures by writing files in
 * STATE_DIR, which this program polls: `tcp-up` present = the TCP listener is open (absent: closed, so a connect
 * is refused with RST), `http-status` = the status every HTTP request gets. The scenario's MISC_CHECK tests
 * `misc-up` itself. Prints "ready" once both listen.
 */

const POLL_MS = 50;
const [dir, addr, tcpArg, httpArg] = process.argv.slice(2);
if (!dir || !addr || !tcpArg || !httpArg) {
  process.stderr.write('usage: health-diff-servers.js STATE_DIR ADDR TCP_PORT HTTP_PORT\n');
  process.exit(2);
}
const tcpPort = Number(tcpArg);
let tcp: net.Server | null = null;
const sockets = new Set<net.Socket>();

function status(): number {
  try {
    return Number(readFileSync(path.join(dir!, 'http-status'), 'utf8').trim()) || 200;
  } catch {
    return 200;
  }
}

/** Opens or closes the TCP listener to match `tcp-up`; closing also drops open connections, as a stopped server does. */
function syncTcp(): Promise<void> {
  const want = existsSync(path.join(dir!, 'tcp-up'));
  if (want && !tcp) {
    const s = net.createServer((c) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c)).on('error', () => undefined).resume();
    });
    tcp = s;
    return new Promise((resolve) => s.listen(tcpPort, addr, () => resolve()));
  }
  if (!want && tcp) {
    tcp.close();
    tcp = null;
    for (const c of sockets) c.destroy();
  }
  return Promise.resolve();
}

const web = http.createServer((req, res) => {
  req.resume();
  const code = status();
  res.writeHead(code, { 'content-type': 'text/plain' }).end(`status ${code}\n`);
});
web.listen(Number(httpArg), addr, () => {
  void syncTcp().then(() => {
    process.stdout.write('ready\n');
    setInterval(() => void syncTcp(), POLL_MS);
  });
});
process.on('SIGTERM', () => process.exit(0));
