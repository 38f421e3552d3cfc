/**
 * lvsadm over a real unix socket: a tiny stand-in daemon (protocol decoders + FakeIpvs) in a temp
 * directory. Covers batching over the wire, refusals, garbage replies, and no daemon at all.
 */
import t from 'tap';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { SocketBackend } from '../../../src/cli/client.js';
import { parseJsonLine, parseRequest, requestIdOf, respond, type ControlResponse } from '../../../src/control/protocol.js';
import { resolveSocketPath, SYSTEM_SOCKET } from '../../../src/control/socket-path.js';
import { programName, takeControlOption } from '../../../src/cli/control-option.js';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { applyUntilFailure, firstFailure } from '../../../src/dataplane/table-apply.js';
import { lvsadm } from './fixtures/helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsadm-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** Serves `answer(line)` per request line; returns the socket path and a closer. */
async function serve(name: string, answer: (line: string) => Promise<string>): Promise<{ path: string; requests: string[]; close(): Promise<void> }> {
  const p = path.join(dir, name);
  const requests: string[] = [];
  const server = net.createServer((c) => {
    let buf = '';
    c.setEncoding('utf8');
    c.on('data', async (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        requests.push(line);
        c.write(await answer(line));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(p, resolve));
  return { path: p, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What the daemon's handler does: validate, then apply (until a refusal)/snapshot/connections on a data plane. */
function daemon(table: FakeIpvs) {
  return async (line: string): Promise<string> => {
    const j = parseJsonLine(line);
    const req = j.ok ? parseRequest(j.value) : j;
    let res: ControlResponse;
    if (!req.ok) res = respond.refused(j.ok ? requestIdOf(j.value) : null, req.error);
    else if (req.value.method === 'apply') {
      const failed = firstFailure(await applyUntilFailure(table, req.value.ops));
      res = failed ? respond.opFailed(req.value.id, failed.index, { errno: failed.error.errno, message: failed.error.message }) : respond.ok(req.value.id);
    } else if (req.value.method === 'snapshot') res = respond.snapshot(req.value.id, await table.snapshot());
    else res = respond.connections(req.value.id, await table.connections());
    return `${JSON.stringify(res)}\n`;
  };
}

t.test('commands, listings and a batched restore over the socket', async (t) => {
  const table = new FakeIpvs();
  const srv = await serve('ok.sock', daemon(table));
  t.teardown(srv.close);
  const b = new SocketBackend(srv.path);
  t.teardown(() => b.close());
  t.same(await lvsadm(['-A', '-t', '10.0.0.1:80', '-s', 'rr'], b), { code: 0, out: '', err: '' });
  t.same(await lvsadm(['-A', '-t', '10.0.0.1:80'], b), { code: 255, out: '', err: 'Service already exists\n' });
  const r = await lvsadm(['-R'], b, '-a -t 10.0.0.1:80 -r 10.0.1.1 -m\n-a -t 10.0.0.1:80 -r 10.0.1.1 -m\n-a -t 10.0.0.1:80 -r 10.0.1.2 -m -w 4\n');
  t.same([r.code, r.err], [0, 'Destination already exists\n']);
  t.same((await lvsadm(['-Sn'], b)).out, '-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1\n-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 4\n');
  t.match((await lvsadm(['-Lnc'], b)).out, /^IPVS connection entries\n/);
  const methods = srv.requests.map((l) => (JSON.parse(l) as { method: string; ops?: unknown[] }));
  t.same(methods.map((m) => `${m.method}${m.ops ? `:${m.ops.length}` : ''}`), ['apply:1', 'apply:1', 'apply:3', 'apply:1', 'snapshot', 'connections'],
    'the restore went as one batch and was resent after the failure');
  t.same(methods.map((m) => (m as { id?: number }).id), [1, 2, 3, 4, 5, 6], 'one connection, ids in order');
});

t.test('no daemon: one clear line, status 2; -h still works', async (t) => {
  const b = new SocketBackend(path.join(dir, 'nobody-here.sock'));
  t.teardown(() => b.close());
  const r = await lvsadm(['-Ln'], b);
  t.equal(r.code, 2);
  t.equal(r.out, '');
  t.match(r.err, /^ipvsadm: cannot reach lvsd at .*nobody-here\.sock: ENOENT \(is lvsd running\? --control PATH or LVSD_SOCKET selects another socket\)\n$/);
  t.equal((await lvsadm(['-h'], b)).code, 0);
  t.same(await lvsadm(['-A', '-t', '10.0.0.1:80', '-w', '1'], b), { code: 2, out: '', err: "Illegal 'weight' option with the 'add-service' command\n" });
});

t.test('garbage, refusals and read errors from the daemon', async (t) => {
  const backends: SocketBackend[] = [];
  const client = (p: string, timeoutMs?: number): SocketBackend => {
    const b = new SocketBackend(p, timeoutMs);
    backends.push(b);
    return b;
  };
  const garbage = await serve('garbage.sock', async () => 'this is not json\n');
  t.teardown(garbage.close);
  const g = await lvsadm(['-C'], client(garbage.path));
  t.equal(g.code, 2);
  t.match(g.err, /^ipvsadm: lvsd sent a malformed reply: not JSON: /);

  const refusing = await serve('refuse.sock', async (line) => `${JSON.stringify(respond.refused(requestIdOf(JSON.parse(line)), 'unsupported'))}\n`);
  t.teardown(refusing.close);
  t.same(await lvsadm(['-C'], client(refusing.path)), { code: 2, out: '', err: 'ipvsadm: lvsd refused the request: unsupported\n' });
  t.same(await lvsadm(['-Ln'], client(refusing.path)), { code: 1, out: '', err: 'unsupported\n' }, 'a refused read is a listing failure');

  const wrongId = await serve('wrong-id.sock', async () => `${JSON.stringify(respond.ok(999))}\n`);
  t.teardown(wrongId.close);
  t.match((await lvsadm(['-C'], client(wrongId.path))).err, /answered request 999 while 1 was pending/);

  const silent = await serve('silent.sock', () => new Promise<string>(() => undefined));
  t.teardown(silent.close);
  const slow = client(silent.path, 50);
  t.same(await lvsadm(['-C'], slow), { code: 2, out: '', err: `ipvsadm: lvsd at ${silent.path} did not answer within 0.05 s\n` });
  // teardowns run last-in first-out: the clients go before the servers that wait for them
  t.teardown(() => Promise.all(backends.map((b) => b.close())));
});

t.test('socket path resolution', async (t) => {
  t.equal(resolveSocketPath('/x.sock', { LVSD_SOCKET: '/y.sock' }, 0), '/x.sock', '--control wins');
  t.equal(resolveSocketPath(undefined, { LVSD_SOCKET: '/y.sock', XDG_RUNTIME_DIR: '/run/user/1000' }, 1000), '/y.sock', 'then LVSD_SOCKET');
  t.equal(resolveSocketPath(undefined, { XDG_RUNTIME_DIR: '/run/user/1000' }, 0), SYSTEM_SOCKET, 'root: the system socket');
  t.equal(SYSTEM_SOCKET, '/run/lvsd/lvsd.sock');
  t.equal(resolveSocketPath(undefined, { XDG_RUNTIME_DIR: '/run/user/1000' }, 1000), '/run/user/1000/lvsd.sock');
  t.equal(resolveSocketPath(undefined, {}, 1000), '/tmp/lvsd-1000/lvsd.sock');
  t.equal(resolveSocketPath('', { LVSD_SOCKET: '' }, 1000), '/tmp/lvsd-1000/lvsd.sock', 'empty values do not count');
});

t.test('--control is lvsadm’s own option and is taken out before ipvsadm parsing', async (t) => {
  t.same(takeControlOption(['-Ln', '--control', '/a.sock']), { control: '/a.sock', kernel: false, rest: ['-Ln'] });
  t.same(takeControlOption(['--kernel', '-Ln']), { control: undefined, kernel: true, rest: ['-Ln'] });
  t.same(takeControlOption(['--control=/b.sock', '-A', '-t', '1.2.3.4:80']), { control: '/b.sock', kernel: false, rest: ['-A', '-t', '1.2.3.4:80'] });
  t.same(takeControlOption(['-L', '--', '--control', 'x']), { control: undefined, kernel: false, rest: ['-L', '--', '--control', 'x'] }, 'not after --');
  t.same(takeControlOption(['-L', '--control']), { control: undefined, kernel: false, rest: ['-L', '--control'] }, 'without a value it is left for ipvsadm to refuse');
  t.equal(programName('/usr/local/bin/lvsadm'), 'lvsadm');
  t.equal(programName('/work/dist/src/cli/lvsadm.js'), 'lvsadm');
  t.equal(programName('ipvsadm'), 'ipvsadm');
  t.equal(programName(undefined), 'lvsadm');
});
