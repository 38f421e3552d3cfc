import t from 'tap';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startDaemon, lvsadm, rawControl, ensureBuilt, LVSD } from '../../../src/testing/daemon.js';

// The real lvsd and lvsadm binaries over a real control socket: bad input never kills the daemon or
// changes its table, and -S | -R rebuilds the same table.

t.test('garbage on the control socket gets clear errors and changes nothing', async (t) => {
  const d = await startDaemon();
  t.teardown(() => d.stop());
  t.equal((await lvsadm(d.socket, ['-A', '-t', '127.0.0.10:18080', '-s', 'rr'])).code, 0);
  const before = (await lvsadm(d.socket, ['-Ln'])).out;

  const cases: Array<[string, RegExp]> = [
    ['this is not json\n', /not JSON/],
    ['{}\n', /method|id/],
    ['[1,2,3]\n', /object/],
    ['{"id":1,"method":"frobnicate"}\n', /method/],
    ['{"id":2,"method":"apply","ops":[{"op":"add-service"}]}\n', /spec/],
    ['{"id":3,"method":"apply","ops":[{"op":"del-service","id":{"kind":"addr","protocol":"tcp","addr":{"af":4,"text":"999.1.1.1"},"port":80}}]}\n', /address|addr/],
    ['{"id":4,"method":"apply","ops":"nope"}\n', /ops/],
    ['{"id":-5,"method":"snapshot"}\n', /id/],
  ];
  for (const [line, why] of cases) {
    const [res] = await rawControl(d.socket, line, 1);
    const parsed = JSON.parse(res ?? 'null') as { ok: boolean; error?: { message: string } };
    t.equal(parsed.ok, false, `refused: ${line.trim().slice(0, 60)}`);
    t.match(parsed.error?.message, why);
  }
  // Raw binary and a line cut off mid-way by a closing client.
  await rawControl(d.socket, Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x7b, 0x0a]), 2);
  await rawControl(d.socket, '{"id":9,"method":"app', 0);

  t.equal(d.proc.exitCode, null, 'lvsd is still running');
  t.equal((await lvsadm(d.socket, ['-Ln'])).out, before, 'the table is unchanged');
});

t.test('a failing op in a batch reports its index and keeps the ops before it', async (t) => {
  const d = await startDaemon();
  t.teardown(() => d.stop());
  const svc = { kind: 'addr', protocol: 'tcp', addr: { af: 4, text: '127.0.0.10' }, port: 18081 };
  const spec = { id: svc, scheduler: 'wlc', flags: { fallback: false, port: false, flag3: false }, persistence: 0, netmask: 0xffffffff, ops: false, pe: '' };
  const line = `${JSON.stringify({ id: 7, method: 'apply', ops: [{ op: 'add-service', spec }, { op: 'add-service', spec }] })}\n`;
  const [res] = await rawControl(d.socket, line, 1);
  t.match(JSON.parse(res!), { id: 7, ok: false, index: 1, error: { errno: 'EEXIST' } });
  t.match((await lvsadm(d.socket, ['-Ln'])).out, /TCP {2}127\.0\.0\.10:18081 wlc/);
});

t.test('malformed lvsadm arguments: ipvsadm messages, non-zero exits, daemon unharmed', async (t) => {
  const d = await startDaemon();
  t.teardown(() => d.stop());
  // What ipvsadm 1.31 (popt build) prints for each: a second command is an invalid option there.
  const bad: Array<[string[], number, RegExp]> = [
    [['-A', '-t', '127.0.0.10:99999'], 2, /^illegal virtual server address\[:port\] specified\n$/],
    [['-A', '-L'], 2, /^invalid option `-L'\n$/],
    [['--bogus'], 255, /^Try `lvsadm -h' or 'lvsadm --help' for more information\.\n$/],
    [['-a', '-t', '127.0.0.10:80', '-r', '127.0.0.11:80', '-w', '70000'], 2, /weight/i],
    [['-E', '-t', '127.0.0.10:1', '-s', 'rr'], 255, /No such service/],
  ];
  for (const [args, code, msg] of bad) {
    const r = await lvsadm(d.socket, args);
    t.equal(r.code, code, `exit code for ${args.join(' ')}`);
    t.match(r.err, msg, `message for ${args.join(' ')}`);
  }
  t.equal(d.proc.exitCode, null, 'lvsd is still running');
});

t.test('-S | -C | -R rebuilds the same table through the daemon', async (t) => {
  const d = await startDaemon();
  t.teardown(() => d.stop());
  const cmds = [
    ['-A', '-t', '127.0.0.20:18082', '-s', 'wrr'],
    ['-a', '-t', '127.0.0.20:18082', '-r', '127.0.0.21:80', '-m', '-w', '3'],
    ['-a', '-t', '127.0.0.20:18082', '-r', '127.0.0.22:80', '-m', '-w', '0', '-x', '100', '-y', '10'],
    ['-A', '-u', '127.0.0.20:18053', '-s', 'sh', '-b', 'sh-port', '-p', '120', '-M', '255.255.255.0', '-o'],
    ['-a', '-u', '127.0.0.20:18053', '-r', '127.0.0.23:53', '-m'],
    ['-A', '-t', '[::1]:18083', '-s', 'mh', '-b', 'mh-fallback'],
    ['-a', '-t', '[::1]:18083', '-r', '[::1]:80', '-m', '-w', '5'],
  ];
  for (const c of cmds) t.equal((await lvsadm(d.socket, c)).code, 0, c.join(' '));
  const saved = await lvsadm(d.socket, ['-Sn']);
  // ipvsadm -S writes no thresholds (-x/-y), so the default listing is what must survive the round trip.
  const listing = (await lvsadm(d.socket, ['-Ln'])).out;
  t.equal((await lvsadm(d.socket, ['-C'])).code, 0);
  t.equal((await lvsadm(d.socket, ['-Ln'])).out.split('\n').length, 4, 'empty after -C');
  const restored = await lvsadm(d.socket, ['-R'], saved.out);
  t.equal(restored.code, 0, restored.err);
  t.equal((await lvsadm(d.socket, ['-Sn'])).out, saved.out, '-S after -R is identical');
  t.equal((await lvsadm(d.socket, ['-Ln'])).out, listing, 'the listing is identical');
});

t.test('lvsd refuses bad options and stops cleanly on SIGTERM', async (t) => {
  ensureBuilt();
  const bad = spawnSync(process.execPath, [LVSD, '--dataplane', 'warp'], { encoding: 'utf8' });
  t.equal(bad.status, 2);
  t.match(bad.stderr, /--dataplane: unknown data plane 'warp'/);
  const d = await startDaemon();
  t.equal(await d.stop(), 0, 'exit 0 on SIGTERM');
  t.notOk(existsSync(d.socket), 'the control socket is removed');
  t.match(d.log(), /"msg":"lvsd stopping"/, 'the last log line was flushed');
});
