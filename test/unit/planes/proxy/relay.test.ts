import { applyOrThrow } from '../../../../src/testing/apply.js';
import t from 'tap';
import net from 'node:net';
import dgram from 'node:dgram';
import { createHash } from 'node:crypto';
import { ProxyDataPlane } from '../../../../src/planes/proxy/plane.js';
import { SystemClock } from '../../../../src/platform/clock.js';
import { systemRandom } from '../../../../src/platform/random.js';
import { freePort } from '../../../../src/platform/free-port.js';
import { MemoryLogger } from '../../../../src/testing/logger.js';
import { svcId, serviceSpec, destSpec } from '../../../../src/testing/specs.js';

// The relay itself, over real loopback sockets: UDP sessions, half-close, a dead real server,
// and a large transfer that only completes intact if backpressure holds.

const VIP = '127.0.0.50';

async function plane(t: { teardown(fn: () => unknown): void }) {
  const p = new ProxyDataPlane({ clock: new SystemClock(), random: systemRandom(), log: new MemoryLogger() });
  t.teardown(() => p.close());
  return p;
}

function listen(server: net.Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)));
}

t.test('UDP: per-client sessions relay both ways and are counted', async (t) => {
  const echo = dgram.createSocket('udp4');
  echo.on('message', (m, r) => echo.send(Buffer.concat([Buffer.from('echo:'), m]), r.port, r.address));
  await new Promise<void>((resolve) => echo.bind(0, '127.0.0.51', resolve));
  t.teardown(() => echo.close());
  const p = await plane(t);
  const vport = await freePort(VIP);
  const id = svcId(`${VIP}:${vport}`, 'udp');
  await applyOrThrow(p, { op: 'add-service', spec: serviceSpec(id, { scheduler: 'rr' }) });
  await applyOrThrow(p, { op: 'add-dest', service: id, dest: destSpec(`127.0.0.51:${echo.address().port}`) });

  const clients = await Promise.all([1, 2].map(async (n) => {
    const c = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => c.bind(0, `127.0.6.${n}`, resolve));
    t.teardown(() => c.close());
    return c;
  }));
  for (const [i, c] of clients.entries()) {
    for (let k = 0; k < 3; k++) {
      const reply = await new Promise<string>((resolve) => {
        c.once('message', (m) => resolve(m.toString()));
        c.send(`c${i}m${k}`, vport, VIP);
      });
      t.equal(reply, `echo:c${i}m${k}`, 'the reply comes back from the VIP');
    }
  }
  const snap = await p.snapshot();
  const s = snap.services[0]!;
  t.equal(s.stats.conns, 2, 'one connection per client address:port');
  t.equal(s.stats.inPkts, 6);
  t.equal(s.stats.outPkts, 6);
  t.equal(s.dests[0]!.inactConns, 2, 'UDP connections count as InActConn');
  const conns = await p.connections();
  t.same(conns.map((c) => [c.proto, c.state]).sort(), [['UDP', 'UDP'], ['UDP', 'UDP']]);
});

t.test('half-close: the client stops sending and still receives the whole answer', async (t) => {
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    let got = '';
    s.on('data', (d) => { got += d.toString(); });
    s.on('end', () => setTimeout(() => s.end(`heard ${got.length} bytes after your FIN`), 50));
  });
  const port = await listen(server, '127.0.0.52');
  t.teardown(() => server.close());
  const p = await plane(t);
  const vport = await freePort(VIP);
  const id = svcId(`${VIP}:${vport}`);
  await applyOrThrow(p, { op: 'add-service', spec: serviceSpec(id) });
  await applyOrThrow(p, { op: 'add-dest', service: id, dest: destSpec(`127.0.0.52:${port}`) });
  const answer = await new Promise<string>((resolve, reject) => {
    const c = net.connect({ host: VIP, port: vport, allowHalfOpen: true });
    let buf = '';
    c.on('data', (d) => { buf += d.toString(); });
    c.on('end', () => resolve(buf));
    c.on('error', reject);
    c.end('twelve bytes');
  });
  t.equal(answer, 'heard 12 bytes after your FIN');
});

t.test('a dead real server costs the client a reset or close, never a hang', async (t) => {
  const deadPort = await freePort('127.0.0.53');
  const p = await plane(t);
  const vport = await freePort(VIP);
  const id = svcId(`${VIP}:${vport}`);
  await applyOrThrow(p, { op: 'add-service', spec: serviceSpec(id) });
  await applyOrThrow(p, { op: 'add-dest', service: id, dest: destSpec(`127.0.0.53:${deadPort}`) });
  const started = Date.now();
  const outcome = await new Promise<string>((resolve) => {
    const c = net.connect({ host: VIP, port: vport });
    c.setTimeout(5000, () => { resolve('hang'); c.destroy(); });
    c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    c.on('close', () => resolve('closed'));
  });
  t.ok(outcome === 'ECONNRESET' || outcome === 'closed', `client saw ${outcome}`);
  t.ok(Date.now() - started < 2000, 'promptly');
  const none = await p.snapshot();
  t.equal(none.services[0]!.dests[0]!.activeConns, 0, 'the failed connection is not left active');
});

t.test('no real server at all: the client is reset at once', async (t) => {
  const p = await plane(t);
  const vport = await freePort(VIP);
  await applyOrThrow(p, { op: 'add-service', spec: serviceSpec(svcId(`${VIP}:${vport}`)) });
  const outcome = await new Promise<string>((resolve) => {
    const c = net.connect({ host: VIP, port: vport });
    c.setTimeout(3000, () => { resolve('hang'); c.destroy(); });
    c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    c.on('close', () => resolve('closed'));
  });
  t.ok(outcome === 'ECONNRESET' || outcome === 'closed', `client saw ${outcome}`);
});

t.test('32 MiB each way through a slow reader arrives intact (pipes pause and resume)', async (t) => {
  const size = 32 << 20;
  const payload = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) payload.writeUInt32LE((i * 2654435761) >>> 0, i);
  const digest = createHash('sha256').update(payload).digest('hex');
  // The real server hashes what it reads, slowly, then sends the payload back.
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    const h = createHash('sha256');
    s.on('data', (d) => {
      h.update(d);
      s.pause();
      setTimeout(() => s.resume(), 1);
    });
    s.on('end', () => {
      s.write(`${h.digest('hex')}\n`);
      s.end(payload);
    });
  });
  const port = await listen(server, '127.0.0.54');
  t.teardown(() => server.close());
  const p = await plane(t);
  const vport = await freePort(VIP);
  const id = svcId(`${VIP}:${vport}`);
  await applyOrThrow(p, { op: 'add-service', spec: serviceSpec(id) });
  await applyOrThrow(p, { op: 'add-dest', service: id, dest: destSpec(`127.0.0.54:${port}`) });
  const back = await new Promise<Buffer>((resolve, reject) => {
    const c = net.connect({ host: VIP, port: vport, allowHalfOpen: true });
    const parts: Buffer[] = [];
    c.on('data', (d: Buffer) => parts.push(d));
    c.on('end', () => resolve(Buffer.concat(parts)));
    c.on('error', reject);
    c.end(payload);
  });
  const nl = back.indexOf(10);
  t.equal(back.subarray(0, nl).toString(), digest, 'the real server received every byte in order');
  t.equal(createHash('sha256').update(back.subarray(nl + 1)).digest('hex'), digest, 'the client received every byte in order');
  const s = (await p.snapshot()).services[0]!;
  t.equal(s.stats.inBytes, size, 'InBytes counts the client payload');
  t.equal(s.stats.outBytes, size + 65, 'OutBytes counts the answer');
});
