import t from 'tap';
import { NetlinkEngine, type NlRequest } from '../../../src/netlink/engine.js';
import { NetlinkError, NetlinkFormatError } from '../../../src/netlink/errors.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST, parseDatagram, type NlMessage } from '../../../src/netlink/framing.js';
import { resolveFamily } from '../../../src/netlink/genl.js';
import { FakeKernel } from './fixtures/fake-kernel.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';

const TYPE = 0x30; // a family of our own: the fake kernel answers it through `override`
const req = (n: number, extra: Partial<NlRequest> = {}): NlRequest => ({ type: TYPE, payload: Buffer.from([n, 1, 0, 0]), what: `request ${n}`, ...extra });
const settled = <T>(p: Promise<T>): Promise<T | Error> => p.catch((e: Error) => e);

function acking(k: FakeKernel): void {
  k.override = (m) => (m.type === TYPE ? [k.ack(m)] : undefined);
}

t.test('requests carry REQUEST|ACK and rising seqs; replies match by seq', async (t) => {
  const k = new FakeKernel();
  k.override = (m) => [k.message(TYPE, 0, m.seq, Buffer.from([m.payload[0]!, 0, 0, 0])), k.ack(m)];
  const e = new NetlinkEngine(k);
  const [a, b] = await Promise.all([e.request(req(1, { data: true })), e.request(req(2, { data: true }))]);
  t.same([a[0]!.payload[0], b[0]!.payload[0]], [1, 2]);
  t.same(k.requests.map((m) => [m.seq, m.flags, m.pid]), [[1, NLM_F_REQUEST | NLM_F_ACK, 0], [2, NLM_F_REQUEST | NLM_F_ACK, 0]]);
  t.equal(k.datagrams.length, 1, 'both went out in one datagram');
  t.same(k.refs, [true, false], 'the socket holds the loop only while busy');
});

t.test('a batch goes out many messages per datagram and each request gets its own result', async (t) => {
  const k = new FakeKernel();
  k.override = (m) => (m.type === TYPE ? [k.ack(m, m.payload[0]! % 10 === 0 ? 17 : 0)] : undefined);
  const e = new NetlinkEngine(k, { maxDatagramBytes: 400 });
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) => settled(e.request(req(i)))));
  t.equal(k.requests.length, 100);
  t.equal(k.datagrams.length, 5, '20 messages of 20 bytes per 400-byte datagram');
  const failed = results.flatMap((r, i) => (r instanceof NetlinkError ? [[i, r.errno]] : []));
  t.same(failed, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90].map((i) => [i, 'EEXIST']));
  t.match((results[10] as Error).message, /^request 10: EEXIST/);
  t.same(k.requests.flatMap((m, i) => (m.flags & NLM_F_ACK ? [i] : [])), [19, 39, 59, 79, 99], 'only the last message of each datagram asks for an ack');
});

t.test('a quiet request succeeds only when the ack of its datagram\'s last message arrives', async (t) => {
  const k = new FakeKernel();
  k.hold = true;
  acking(k);
  const e = new NetlinkEngine(k);
  let firstDone = false;
  const first = e.request(req(1)).then(() => { firstDone = true; });
  const last = e.request(req(2));
  await new Promise((r) => setImmediate(r));
  t.equal(k.datagrams.length, 1);
  t.same(k.requests.map((m) => m.flags & NLM_F_ACK), [0, NLM_F_ACK]);
  await new Promise((r) => setTimeout(r, 20));
  t.notOk(firstDone, 'nothing vouched for the first request yet');
  k.release();
  await Promise.all([first, last]);
  t.ok(firstDone);
  // A failure of the last message is still an answer: the quiet one before it succeeded.
  k.override = (m) => [k.ack(m, m.payload[0] === 4 ? 17 : 0)];
  const r = await Promise.all([settled(e.request(req(3))), settled(e.request(req(4)))]);
  t.same(r.map((x) => (x instanceof NetlinkError ? x.errno : 'ok')), ['ok', 'EEXIST']);
});

t.test('in-flight requests are bounded by the receive buffer', async (t) => {
  const k = new FakeKernel();
  k.rcvbufBytes = 64 * 1024; // half of it, 32 KiB, for replies: 32 acks of 1 KiB
  let inFlight = 0;
  let most = 0;
  k.override = (m) => {
    inFlight++;
    most = Math.max(most, inFlight);
    setImmediate(() => { inFlight--; k.inject([k.ack(m)]); });
    return [];
  };
  const e = new NetlinkEngine(k);
  await Promise.all(Array.from({ length: 200 }, (_, i) => e.request(req(i))));
  t.equal(most, 32);
  const e2 = new NetlinkEngine(k, { maxInFlight: 5 });
  most = 0;
  await Promise.all(Array.from({ length: 20 }, (_, i) => e2.request(req(i))));
  t.equal(most, 5, 'maxInFlight caps it further');
});

t.test('one dump at a time per socket; single requests pass a waiting dump', async (t) => {
  const k = new FakeKernel();
  k.hold = true;
  k.override = (m) => {
    if ((m.flags & NLM_F_DUMP) !== NLM_F_DUMP) return [k.ack(m)];
    return k.dump(m, [1, 2, 3].map((i) => k.message(TYPE, NLM_F_MULTI, m.seq, Buffer.from([m.payload[0]!, i, 0, 0]))));
  };
  const e = new NetlinkEngine(k);
  const d1 = e.request(req(1, { dump: true }));
  const d2 = e.request(req(2, { dump: true }));
  const single = e.request(req(3));
  await new Promise((r) => setImmediate(r));
  t.same(k.requests.map((m) => m.payload[0]), [1, 3], 'the second dump waits; the single request does not');
  k.release();
  t.same((await d1).map((m) => [...m.payload.subarray(0, 2)]), [[1, 1], [1, 2], [1, 3]]);
  await single;
  k.release();
  t.same((await d2).map((m) => m.payload[1]), [1, 2, 3]);
  t.same(k.requests.map((m) => m.payload[0]), [1, 3, 2]);
});

t.test('kernel errors become NetlinkErrors with the errno name and the extended ack', async (t) => {
  const k = new FakeKernel();
  k.override = (m) => {
    const b = k.ack(m, 22);
    const tlv = Buffer.from('0d000100626164206174747200000000', 'hex'); // NLMSGERR_ATTR_MSG "bad attr"
    const out = Buffer.concat([b, tlv]);
    out.writeUInt32LE(out.length, 0);
    out.writeUInt16LE(0x300, 6); // CAPPED | ACK_TLVS
    return [out];
  };
  const e = new NetlinkEngine(k);
  const err = await settled(e.request(req(1)));
  t.type(err, NetlinkError);
  t.match(err, { errno: 'EINVAL', extack: 'bad attr', message: 'request 1: EINVAL (bad attr)', code: 'LVSD_E_NETLINK_EINVAL' });
  k.override = (m) => [k.done(m, 16)];
  t.match(await settled(e.request(req(2, { dump: true }))), { errno: 'EBUSY' }, 'a dump that ends in error');
});

t.test('an overrun fails what is in flight with ENOBUFS; the socket carries on', async (t) => {
  const k = new FakeKernel();
  k.hold = true;
  k.override = (m) => ((m.flags & NLM_F_DUMP) === NLM_F_DUMP
    ? k.dump(m, [k.message(TYPE, NLM_F_MULTI, m.seq, Buffer.from([9, 9, 9, 9]))])
    : [k.ack(m)]);
  const e = new NetlinkEngine(k);
  const errors: string[] = [];
  e.onError((x) => errors.push(x instanceof NetlinkError ? x.errno : x.message));
  const strays: NlMessage[] = [];
  e.onNotification((m) => strays.push(m));
  const lost = [settled(e.request(req(1))), settled(e.request(req(2))), settled(e.request(req(3, { dump: true })))];
  await new Promise((r) => setImmediate(r));
  const late = k.held;
  k.held = [];
  k.inject([new NetlinkError('ENOBUFS', 'recvmsg ENOBUFS (No buffer space available)')]);
  const outcome = await Promise.all(lost);
  for (const o of outcome) t.match(o, { errno: 'ENOBUFS', message: /receive buffer overrun.*may or may not have taken effect/ });
  t.same(errors, ['ENOBUFS']);
  // The next dump waits for the abandoned one to finish; the late replies are dropped, not misdelivered.
  const next = e.request(req(4, { dump: true }));
  const single = e.request(req(5));
  await new Promise((r) => setImmediate(r));
  t.same(k.requests.map((m) => m.payload[0]), [3, 1, 2, 5], 'dump 4 is not sent while dump 3 is still draining');
  k.inject(late);
  k.release();
  await single;
  t.same((await next).map((m) => [...m.payload]), [[9, 9, 9, 9]]);
  // Requests 1 and 2 shared a datagram behind the dump: only 2, its last message, asked for an ack.
  t.same(strays.map((m) => m.seq), [3], 'the ack of the failed datagram arrives as a stray; the dump\'s rest is dropped');
});

t.test('a malformed datagram fails what is in flight, and the engine keeps working', async (t) => {
  const k = new FakeKernel();
  k.override = () => [Buffer.from('ff000000', 'hex')];
  const e = new NetlinkEngine(k);
  const errors: Error[] = [];
  e.onError((x) => errors.push(x));
  const r = await settled(e.request(req(1)));
  t.type(r, NetlinkFormatError);
  t.match(r, { message: /request 1: malformed netlink reply: datagram of 4 bytes/ });
  t.equal(errors.length, 1);
  acking(k);
  t.same(await e.request(req(2)), []);
  k.override = (m) => [k.message(TYPE, NLM_F_MULTI | NLM_F_DUMP_INTR, m.seq, Buffer.alloc(4)), k.done(m)];
  t.match(await settled(e.request(req(3, { dump: true }))), { errno: 'EINTR' }, 'NLM_F_DUMP_INTR: the dump is inconsistent');
  k.override = (m) => [Buffer.concat([k.message(TYPE, 0, m.seq, Buffer.alloc(0)).subarray(0, 16)]), k.ack(m)];
  t.same((await e.request(req(4, { data: true }))).length, 1, 'a reply with an empty payload is fine');
});

t.test('the kernel falling silent fails requests with ETIMEDOUT', async (t) => {
  const k = new FakeKernel();
  k.override = () => [];
  const clock = new FakeClock();
  const e = new NetlinkEngine(k, { timeoutMs: 30, clock });
  let r: unknown = null;
  void settled(e.request(req(1))).then((x) => { r = x; });
  await clock.advanceAsync(29);
  t.equal(r, null, 'not before the socket has been silent for timeoutMs');
  await clock.advanceAsync(31);
  t.match(r, { errno: 'ETIMEDOUT', message: /no reply from the kernel in 30 ms/ }, 'and under twice that');
  acking(k);
  t.same(await e.request(req(2)), [], 'and then works again');
});

t.test('messages not addressed to us go to the notification handler', async (t) => {
  const k = new FakeKernel();
  const e = new NetlinkEngine(k);
  const seen: number[] = [];
  e.onNotification((m) => seen.push(m.pid));
  k.override = (m) => [k.message(TYPE, 0, m.seq, Buffer.alloc(4), 777), k.message(TYPE, 0, 0, Buffer.alloc(4), 0), k.ack(m)];
  t.same(await e.request(req(1, { data: true })), [], 'another pid with our seq is not our reply');
  t.same(seen, [777, 0]);
});

t.test('a send the kernel refuses fails those requests; close fails the rest', async (t) => {
  const k = new FakeKernel();
  const e = new NetlinkEngine(k);
  const send = k.send.bind(k);
  k.send = () => { throw new NetlinkError('EMSGSIZE', 'sendto EMSGSIZE'); };
  t.match(await settled(e.request(req(1))), { errno: 'EMSGSIZE', message: /^request 1: sendto EMSGSIZE/ });
  k.send = send;
  k.override = () => [];
  const pending = settled(e.request(req(2)));
  await new Promise((r) => setImmediate(r));
  e.close();
  t.match(await pending, { errno: 'EBADF' });
  t.match(await settled(e.request(req(3))), { errno: 'EBADF', message: /closed/ });
  t.ok(k.closed);
});

t.test('family resolution through nlctrl, and a clean ENOENT for a missing family', async (t) => {
  const k = new FakeKernel();
  const e = new NetlinkEngine(k);
  const fam = await resolveFamily(e, 'IPVS');
  t.same([fam.id, fam.name, fam.version], [0x23, 'IPVS', 1]);
  k.ipvsFamily = null;
  const err = await settled(resolveFamily(e, 'IPVS', 'modprobe ip_vs'));
  t.match(err, { errno: 'ENOENT', code: 'LVSD_E_NETLINK_ENOENT', message: 'the kernel has no generic netlink family IPVS (ENOENT): modprobe ip_vs' });
  t.same(parseDatagram(k.datagrams[0]!)[0]!.type, 0x10, 'asked GENL_ID_CTRL');
});

t.test('an abandoned dump whose rest never comes stops blocking dumps after the timeout', async (t) => {
  const k = new FakeKernel();
  k.override = () => [];
  const clock = new FakeClock();
  const e = new NetlinkEngine(k, { timeoutMs: 40, clock });
  const first = settled(e.request(req(1, { dump: true })));
  await new Promise((r) => setImmediate(r));
  k.inject([new NetlinkError('ENOBUFS', 'overrun')]);
  t.match(await first, { errno: 'ENOBUFS' });
  k.override = (m) => [k.done(m)];
  let second: NlMessage[] | null = null;
  void e.request(req(2, { dump: true })).then((x) => { second = x; });
  await clock.advanceAsync(39);
  t.equal(second, null, 'it waits for the abandoned dump first');
  await clock.advanceAsync(41);
  t.same(second, [], 'and runs once the silence has lasted the timeout');
});

t.test('onReply takes a dump\'s parts as they come; what it throws fails the dump, whose rest is dropped', async (t) => {
  const k = new FakeKernel();
  const part = (m: NlMessage, n: number): Buffer => k.message(TYPE, NLM_F_MULTI, m.seq, Buffer.from([n, 0, 0, 0]));
  k.override = (m) => k.dump(m, [part(m, 1), part(m, 2), part(m, 3)]);
  const e = new NetlinkEngine(k);
  const strays: NlMessage[] = [];
  e.onNotification((m) => strays.push(m));
  const taken: number[] = [];
  const kept = await e.request(req(1, { dump: true, onReply: (m) => taken.push(m.payload[0]!) }));
  t.same(taken, [1, 2, 3], 'in order');
  t.same(kept, [], 'nothing is collected besides');
  const broken = settled(e.request(req(2, { dump: true, onReply: (m) => { if (m.payload[0] === 2) throw new NetlinkFormatError('part 2 is bad'); } })));
  const after = e.request(req(3, { dump: true }));
  t.match(await broken, { message: 'part 2 is bad' });
  t.same((await after).map((m) => m.payload[0]), [1, 2, 3], 'the next dump runs, and gets only its own parts');
  t.same(strays, [], 'part 3 and DONE of the failed dump are dropped, not taken for notifications');
});
