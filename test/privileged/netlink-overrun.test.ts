import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { nativePath, nativeUnavailable } from '../../src/native/addon.js';
import { NETLINK_GENERIC, NETLINK_ROUTE, NetlinkSocket } from '../../src/native/netlink-socket.js';
import { NetlinkEngine } from '../../src/netlink/engine.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { CTRL_CMD_GETFAMILY, GENL_ID_CTRL, ctrlAttrs, encodeGenl, resolveFamily } from '../../src/netlink/genl.js';
import { Lab } from '../../src/testing/netns.js';

// Receive-buffer overruns on the real kernel. The `netlink` npm package dies with SIGABRT here; lvsd's socket
// must report ENOBUFS as a value, fail only what was in flight, and answer the next request.

const noAddon = nativeUnavailable();
const skip = process.getuid?.() !== 0 ? 'needs root (the privileged tier)' : noAddon ? `native addon: ${noAddon}` : false;
if (skip) t.comment(`skipping: ${skip}`);

const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const RTMGRP_LINK = 1;

t.test('pipelined requests on a tiny receive buffer: ENOBUFS, then the socket still works', { skip }, async (t) => {
  const sock = NetlinkSocket.open({ protocol: NETLINK_GENERIC, rcvbufBytes: 1 }); // the kernel's minimum
  const engine = new NetlinkEngine(sock);
  t.teardown(() => engine.close());
  const errors: string[] = [];
  engine.onError((e) => errors.push(e instanceof NetlinkError ? e.errno : e.message));
  t.comment(`receive buffer granted: ${sock.rcvbufBytes} bytes`);
  // Each family description is a few KiB; declaring them ack-sized (data: false) lets 32 go out at once.
  const payload = encodeGenl(CTRL_CMD_GETFAMILY, 1, ctrlAttrs, { familyName: 'nlctrl' });
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
    engine.request({ type: GENL_ID_CTRL, payload, what: `request ${i}` }).then(() => 'ok', (e: unknown) => (e instanceof NetlinkError ? e.errno : String(e)))));
  const lost = results.filter((r) => r === 'ENOBUFS').length;
  t.ok(lost > 0, `${lost} of 200 requests were in flight when the buffer overran`);
  t.same(results.filter((r) => r !== 'ok' && r !== 'ENOBUFS'), [], 'no other failure');
  t.ok(errors.includes('ENOBUFS'), 'the overrun was reported as ENOBUFS');
  t.equal((await resolveFamily(engine, 'nlctrl')).id, GENL_ID_CTRL, 'the next request works');
});

t.test('a flood of link events in a namespace: ENOBUFS, then a dump on the same socket works', { skip: skip || (Lab.canRun() ?? false) }, async (t) => {
  const lab = new Lab('nlo');
  t.teardown(() => lab.teardown());
  const ns = lab.host('flood');
  const sock = NetlinkSocket.open({ protocol: NETLINK_ROUTE, groups: RTMGRP_LINK, rcvbufBytes: 1, netns: `/run/netns/${ns}` });
  const engine = new NetlinkEngine(sock);
  t.teardown(() => engine.close());
  const errors: string[] = [];
  let events = 0;
  engine.onError((e) => errors.push(e instanceof NetlinkError ? e.errno : e.message));
  engine.onNotification((m) => { if (m.type === RTM_NEWLINK) events++; });
  sock.ref(true); // a monitor: keep listening while the flood runs
  const pairs = 100;
  const batch = Array.from({ length: pairs }, (_, i) => `link add vf${i} type veth peer name vp${i}`).join('\n');
  // Synchronous on purpose: the event loop cannot read while `ip` creates 200 links, so the buffer overflows.
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: `${batch}\n` });
  for (let i = 0; i < 50 && !errors.includes('ENOBUFS'); i++) await new Promise((r) => setTimeout(r, 10));
  sock.ref(false);
  t.ok(errors.includes('ENOBUFS'), `overrun reported (${events} link events got through before it)`);
  const ifinfomsg = Buffer.alloc(16); // family AF_UNSPEC: every link
  const links = await engine.request({ type: RTM_GETLINK, payload: ifinfomsg, dump: true, what: 'dump links' });
  t.equal(links.filter((m) => m.type === RTM_NEWLINK).length, 2 * pairs + 1, 'lo and every veth, from the same socket');
});

// The process-level guarantee, shown from outside: a child that overruns its socket and throws from its receive
// callback ends the way a JS program does, never with SIGABRT.
const CHILD = `
const n = require(process.argv[1]);
const mode = process.argv[2];
const caught = [];
if (mode === 'handled') process.on('uncaughtException', (e) => caught.push(e.message));
const seen = [];
const h = n.netlinkOpen(16, 0, 1, null, (batch) => {
  for (const x of batch) if (!Buffer.isBuffer(x)) seen.push(x.code + ':' + x.errno + ':' + x.syscall);
  throw new Error('thrown by the receive callback');
});
const one = Buffer.alloc(32);
one.writeUInt32LE(32, 0); one.writeUInt16LE(0x10, 4); one.writeUInt16LE(5, 6); one[16] = 3; one[17] = 1;
one.writeUInt16LE(11, 20); one.writeUInt16LE(2, 22); one.write('nlctrl\\0', 24);
n.netlinkSend(h, Buffer.concat(Array.from({ length: 300 }, () => one)));
setTimeout(() => { console.log(JSON.stringify({ seen, caught: caught.length > 0 })); n.netlinkClose(h); }, 200);
`;

t.test('a child that overruns and throws from its callback is not aborted', { skip }, async (t) => {
  const addon = nativePath()!;
  const handled = spawnSync(process.execPath, ['-e', CHILD, addon, 'handled'], { encoding: 'utf8', timeout: 10_000 });
  t.equal(handled.signal, null, 'no signal');
  t.equal(handled.status, 0, handled.stderr);
  const out = JSON.parse(handled.stdout) as { seen: string[]; caught: boolean };
  t.ok(out.seen.includes('ENOBUFS:105:recvmsg'), `the overrun came as a value: ${out.seen.join(' ')}`);
  t.ok(out.caught, "the callback's exception reached process 'uncaughtException'");
  const unhandled = spawnSync(process.execPath, ['-e', CHILD, addon, 'unhandled'], { encoding: 'utf8', timeout: 10_000 });
  t.equal(unhandled.signal, null, 'still no SIGABRT');
  t.equal(unhandled.status, 1, 'an uncaught exception ends the process as in any Node program');
  t.match(unhandled.stderr, /thrown by the receive callback/);
});
