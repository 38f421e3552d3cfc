import t from 'tap';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon, rawControl } from '../../../src/testing/daemon.js';
import { namedServer, whoAnswers } from '../../../src/testing/servers.js';
import { freePort } from '../../../src/platform/free-port.js';

// Issue 11, resource budgets: lvsd runs under a low open-file limit (prlimit --nofile) and is flooded with
// idle TCP clients, then with UDP datagrams from many source ports. Its budget refuses what it cannot hold
// (TCP reset, UDP dropped), counts and logs it once per interval, and the other protocol's service, the
// relays already established and the control socket keep answering.

const VIP = '127.0.0.70';
const RS = '127.0.0.71';
const NOFILE = 400;
const TCP_FLOOD = 200;
const UDP_FLOOD = 300;

interface LogLine { msg: string; [k: string]: unknown }

function lines(log: string): LogLine[] {
  return log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}

async function udpEcho(t: { teardown(fn: () => unknown): void }): Promise<number> {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => s.send(m, r.port, r.address));
  await new Promise<void>((resolve) => s.bind(0, RS, () => resolve()));
  t.teardown(() => s.close());
  return s.address().port;
}

/** One UDP client (its own source port) that asks and waits up to 2 s for the echo. */
function udpClient(): { ask(port: number, text: string): Promise<string>; close(): void } {
  const s = dgram.createSocket('udp4');
  return {
    ask: (port, text) => new Promise((resolve) => {
      const timer = setTimeout(() => { s.off('message', on); resolve('no answer'); }, 2000);
      const on = (m: Buffer) => { clearTimeout(timer); s.off('message', on); resolve(m.toString()); };
      s.on('message', on);
      s.send(text, port, VIP);
    }),
    close: () => s.close(),
  };
}

/** An idle TCP client: resolves 'relayed' once the real server's name arrives, else the error. */
function idleClient(port: number, held: net.Socket[]): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect({ host: VIP, port });
    held.push(c);
    c.setTimeout(5000, () => { c.destroy(); resolve('timeout'); });
    c.once('data', () => resolve('relayed'));
    c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

async function answersWithin(ms: number, socket: string): Promise<number> {
  const t0 = performance.now();
  const got = await rawControl(socket, '{"v":1,"id":7,"method":"snapshot"}\n', 1);
  if (!got[0]?.includes('"ok":true')) throw new Error(`control socket: ${got.join('|')}`);
  const took = performance.now() - t0;
  if (took > ms) throw new Error(`control socket took ${took.toFixed(0)} ms`);
  return took;
}

t.test('idle TCP flood and UDP source-port flood under RLIMIT_NOFILE 400', async (t) => {
  const rs = await namedServer(RS);
  t.teardown(() => rs.server.close());
  const echoPort = await udpEcho(t);
  const tport = await freePort(VIP);
  const uport = await freePort(VIP);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-budgets-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keepalived.conf');
  const vs = (proto: string, vport: number, rport: number) =>
    `virtual_server ${VIP} ${vport} {\n    lb_algo rr\n    lb_kind NAT\n    protocol ${proto}\n    real_server ${RS} ${rport} {\n    }\n}\n`;
  fs.writeFileSync(file, vs('TCP', tport, rs.port) + vs('UDP', uport, echoPort));
  const d = await startDaemon(['--dataplane', 'proxy', '-f', file], { nofile: NOFILE });
  const held: net.Socket[] = [];
  t.teardown(async () => {
    for (const c of held) c.destroy();
    if (d.proc.exitCode === null) d.proc.kill('SIGKILL');
    await d.exited;
  });
  // pino writes asynchronously: the line may trail the control socket's first answer
  for (let i = 0; i < 60 && !d.log().includes('"descriptor budget"'); i++) await sleep(50);
  const budget = lines(d.log()).find((l) => l.msg === 'descriptor budget');
  t.ok(budget, 'the budget is logged at start');
  t.same([budget?.limit, budget?.reserve, budget?.cap, budget?.share], [400, 104, 296, 222], 'RLIMIT_NOFILE 400: reserve 64 + 40, cap 296, three quarters per protocol');
  const refusals = () => lines(d.log()).filter((l) => l.msg.startsWith('new flows refused'));

  const keeper = udpClient();
  t.teardown(() => keeper.close());
  t.equal(await keeper.ask(uport, 'before'), 'before', 'a UDP session before the floods');

  // Idle TCP flood: every client holds its relay open.
  const outcomes = await Promise.all(Array.from({ length: TCP_FLOOD }, () => idleClient(tport, held)));
  const relayed = outcomes.filter((o) => o === 'relayed').length;
  const reset = outcomes.filter((o) => o === 'ECONNRESET').length;
  t.equal(relayed, 111, 'relays up to the TCP share (2 descriptors each): 111');
  t.equal(reset, TCP_FLOOD - relayed, `every other client was reset, as IPVS refuses (${outcomes.filter((o) => o !== 'relayed' && o !== 'ECONNRESET').join(',') || 'no other outcome'})`);
  const during = await answersWithin(1000, d.socket);
  t.pass(`the control socket answers during the TCP flood (${during.toFixed(0)} ms)`);
  t.equal(await keeper.ask(uport, 'during tcp'), 'during tcp', 'the UDP session still answers');
  const fresh = udpClient();
  t.equal(await fresh.ask(uport, 'new udp'), 'new udp', 'a new UDP client is served: the TCP flood cannot take the UDP quarter');
  fresh.close();
  for (let i = 0; i < 60 && refusals().length === 0; i++) await sleep(50);
  t.equal(refusals().length, 1, 'the refusals so far are logged once');
  t.match(refusals()[0], { level: 'warn', tcpRefused: 1, reason: /descriptors spent: .* of 296 in use/ }, 'with the reason');

  for (const c of held.splice(0)) c.destroy();
  // Closing relays free their descriptors as both sides close; a client arriving just before is reset too.
  let back = '';
  let resetWhileClosing = 0;
  for (let i = 0; i < 40 && back !== RS; i++) {
    back = await whoAnswers(VIP, tport).catch(() => '');
    if (back !== RS) resetWhileClosing++;
  }
  t.equal(back, RS, 'the TCP service answers new clients as soon as the flood lets go');

  // UDP flood: one datagram from each of many source ports, each a session that would live for 300 s.
  for (let i = 0; i < UDP_FLOOD; i += 50) {
    await Promise.all(Array.from({ length: 50 }, () => new Promise<void>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.send('flood', uport, VIP, () => { s.close(); resolve(); });
    })));
    await sleep(20);
  }
  await sleep(200);
  t.equal(await keeper.ask(uport, 'during udp'), 'during udp', 'the established UDP session still answers');
  t.equal(await whoAnswers(VIP, tport), RS, 'the TCP service answers during the UDP flood');
  await answersWithin(1000, d.socket);
  t.pass('and so does the control socket');

  const t0 = performance.now();
  const code = await d.stop();
  t.equal(code, 0);
  t.ok(performance.now() - t0 < 5000, 'stopped within the bound');
  const end = lines(d.log()).find((l) => l.msg === 'descriptor budget at stop');
  t.ok(end, 'the budget at stop is logged');
  t.equal(end?.tcpRefused, reset + resetWhileClosing, 'every reset client was counted');
  t.equal(end?.udp, 222, 'UDP sessions hold their whole share');
  const dropped = Number(end?.udpDropped);
  t.ok(dropped >= 1 && dropped <= UDP_FLOOD - 219, `the datagrams past it were dropped and counted (${dropped})`);
  const n = refusals().length;
  t.ok(n >= 1 && n <= 3, `refusals logged once per 10 s interval, not once each (${n} lines for ${reset + dropped} refusals)`);
});
