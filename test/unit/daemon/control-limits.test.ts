// Issue 11, the control socket's memory: each attack replayed against the real lvsd over its real socket,
// with the daemon's resident memory read from /proc. Bounds: CONTROL_LIMITS (64 MiB of requests and 128 MiB
// of replies shared by all clients, 64 KiB of each client's own); the test allows the daemon 160 MB of growth.
import t from 'tap';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { lvsadm, rawControl, startDaemon } from '../../../src/testing/daemon.js';
import { CONTROL_LIMITS } from '../../../src/daemon/control-budget.js';

const MB = 1024 * 1024;
const GROWTH_BOUND = 160 * MB;

function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

function connect(path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const c = net.connect(path);
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

/** Resolves when the daemon closes `c` (true) or after `ms` (false). */
function closedWithin(c: net.Socket, ms: number): Promise<boolean> {
  if (c.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    c.once('close', () => { clearTimeout(timer); resolve(true); });
  });
}

const offenderLines = (log: string): string[] => log.split('\n').filter((l) => l.includes('control client'));

t.test('control socket memory under abuse', async (t) => {
  const d = await startDaemon();
  t.teardown(() => d.stop());
  const pid = d.proc.pid!;
  // 200 services, so that every snapshot reply is tens of kilobytes.
  const ops = Array.from({ length: 200 }, (_, i) => ({
    op: 'add-service',
    spec: { id: { kind: 'addr', protocol: 'tcp', addr: { af: 4, text: '127.0.0.10' }, port: 20000 + i }, scheduler: 'wlc', flags: { fallback: false, port: false, flag3: false }, persistence: 0, netmask: 0xffffffff, ops: false, pe: '' },
  }));
  t.match(JSON.parse((await rawControl(d.socket, `${JSON.stringify({ id: 1, method: 'apply', ops })}\n`, 1))[0]!), { ok: true });

  t.test('1,000 refused lines make one log line', async (t) => {
    const before = offenderLines(d.log()).length;
    const replies = await rawControl(d.socket, 'garbage\n'.repeat(1000), 1000);
    t.equal(replies.length, 1000, 'every line answered');
    await sleep(300);
    const lines = offenderLines(d.log()).slice(before);
    t.equal(lines.length, 1, 'one line for the client');
    t.match(lines[0], /"refusedRequests":1000/);
  });

  t.test('the line limit counts bytes: 6 Mi × "€" is 18 MiB', async (t) => {
    const before = offenderLines(d.log()).length;
    const ok = await connect(d.socket);
    const fits = `${'€'.repeat(5 * MB)}\n`; // 15 MiB of UTF-8: under the limit, answered (not JSON)
    const replies: string[] = [];
    ok.on('data', (b: Buffer) => replies.push(...b.toString().split('\n').filter(Boolean)));
    ok.write(fits);
    ok.write('{"id":2,"method":"overrides"}\n');
    for (let i = 0; i < 200 && replies.length < 2; i++) await sleep(50);
    t.match(replies[0], /not JSON/, 'a 15 MiB line is read');
    t.match(replies[1], /"id":2,"ok":true/, 'and the connection serves on');
    ok.destroy();

    const big = await connect(d.socket);
    let said = '';
    big.on('data', (b: Buffer) => { said += b.toString(); });
    big.on('error', () => undefined);
    big.write('€'.repeat(6 * MB));
    t.ok(await closedWithin(big, 10_000), 'the 18 MiB partial line closes the connection');
    t.match(said, new RegExp(`longer than ${CONTROL_LIMITS.maxLineBytes} bytes`));
    await sleep(300);
    const lines = offenderLines(d.log()).slice(before);
    t.equal(lines.length, 2, 'one log line per client: the refused 15 MiB line, the closed 18 MiB one');
    t.match(lines[0], /"refusedRequests":1/);
    t.match(lines[1], /control client closed: request line longer than 16777216 bytes/);
  });

  t.test('30,000 pipelined requests never read: memory bounded, the client is paused, others served', async (t) => {
    const base = rss(pid);
    const c = await connect(d.socket);
    c.pause();
    const requests = Array.from({ length: 30_000 }, (_, i) => `{"v":1,"id":${i + 1},"method":"snapshot"}\n`).join('');
    c.write(requests);
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await sleep(100);
      peak = Math.max(peak, rss(pid) - base);
    }
    t.ok(peak < GROWTH_BOUND, `daemon grew ${(peak / MB).toFixed(1)} MB (bound ${GROWTH_BOUND / MB})`);
    const ls = await lvsadm(d.socket, ['-Ln']);
    t.equal(ls.code, 0, 'lvsadm is answered meanwhile');
    t.match(ls.out, /127\.0\.0\.10:20199/);
    // Reading resumes the stream where it stopped, in order.
    const ids: number[] = [];
    let buf = '';
    c.on('data', (b: Buffer) => {
      buf += b.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0 && ids.length < 50) {
        ids.push((JSON.parse(buf.slice(0, nl)) as { id: number }).id);
        buf = buf.slice(nl + 1);
      }
    });
    c.resume();
    for (let i = 0; i < 200 && ids.length < 50; i++) await sleep(50);
    t.same(ids, Array.from({ length: 50 }, (_, i) => i + 1), 'the first 50 replies, in order');
    c.destroy();
  });

  t.test('32 connections each holding a 16 MiB partial line: bounded, one log line per closed client', async (t) => {
    const before = offenderLines(d.log()).length;
    const base = rss(pid);
    const chunk = Buffer.alloc(CONTROL_LIMITS.maxLineBytes - 1, 0x61);
    const conns = await Promise.all(Array.from({ length: 32 }, () => connect(d.socket)));
    let peak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, rss(pid) - base); }, 50);
    const fates = await Promise.all(conns.map((c) => new Promise<'held' | 'closed'>((resolve) => {
      c.on('error', () => undefined);
      c.on('data', () => undefined);
      c.once('close', () => resolve('closed'));
      c.write(chunk, (err) => { if (!err) resolve('held'); });
    })));
    await sleep(500);
    clearInterval(sampler);
    peak = Math.max(peak, rss(pid) - base);
    const closed = conns.filter((c) => c.destroyed).length;
    t.ok(peak < GROWTH_BOUND, `daemon grew ${(peak / MB).toFixed(1)} MB at most (bound ${GROWTH_BOUND / MB}); ${closed} of 32 closed`);
    t.ok(closed >= 32 - Math.ceil(CONTROL_LIMITS.totalInputBytes / chunk.length) - 1, 'the clients beyond the shared budget were closed');
    t.ok(fates.includes('held'), 'the first clients keep their partial lines');
    const ls = await lvsadm(d.socket, ['-Ln']);
    t.equal(ls.code, 0, 'lvsadm is answered while the budget is spent');
    for (const c of conns) c.destroy();
    await sleep(500);
    t.equal(offenderLines(d.log()).slice(before).length, closed, 'one log line per closed client');
    t.equal(d.proc.exitCode, null, 'lvsd is still running');
  });
});
