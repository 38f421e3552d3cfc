import t from 'tap';
import { createProber } from '../../src/platform/probe/index.js';
import { conn, dnsCheck, smtpCheck, udpCheck } from '../../src/testing/checkers.js';
import { hostileTcp, udpServer } from '../../src/testing/hostile.js';
import { freePort } from '../../src/platform/free-port.js';
import { missing, startDnsmasq, startSmtpd, tempDir } from '../../src/testing/peers.js';

// DNS_CHECK against dnsmasq, SMTP_CHECK against OpenSMTPD, UDP_CHECK against an echo server, all on
// loopback, and each against a peer that answers wrongly.

const signal = (): AbortSignal => new AbortController().signal;
const fast = (ip: string, port: number): ReturnType<typeof conn> => conn(ip, port, { connectTimeout: 0.5 });

t.test('DNS_CHECK against dnsmasq', { skip: missing('dnsmasq') ?? false }, async (t) => {
  const tmp = tempDir('dns');
  t.teardown(tmp.remove);
  const port = await freePort('127.0.0.1');
  const dns = await startDnsmasq(tmp.dir, '127.0.0.1', port, ['--host-record=svc.test,192.0.2.9', '--local=/test/']);
  t.teardown(() => dns.stop());
  const prober = createProber();
  t.match(await prober.probe(dnsCheck(fast('127.0.0.1', port), 'A', 'svc.test'), signal()), { up: true, detail: /1 answers/ });
  t.match(await prober.probe(dnsCheck(fast('127.0.0.1', port), 'AAAA', 'svc.test'), signal()), { up: true, detail: /0 answers/ }, 'NOERROR without answers is success, as in keepalived');
  t.match(await prober.probe(dnsCheck(fast('127.0.0.1', port), 'A', 'nothing.test'), signal()), { up: false, reason: 'protocol', detail: /rcode 3/ });
  t.match(await prober.probe(dnsCheck(fast('127.0.0.1', port), 'SOA', '.'), signal()), { up: false, detail: /rcode 5/ }, 'no upstream: the root is refused');
  await dns.stop();
  t.match(await prober.probe(dnsCheck(fast('127.0.0.1', port), 'A', 'svc.test'), signal()), { up: false, reason: 'refused' }, 'ICMP port unreachable');
});

t.test('DNS_CHECK over IPv6', async (t) => {
  const honest = await udpServer('::1', (q) => {
    const r = Buffer.from(q);
    r.writeUInt16BE(0x8180, 2);
    return r;
  });
  t.teardown(() => honest.close());
  t.match(await createProber().probe(dnsCheck(fast('::1', honest.port), 'AAAA', 'svc.test'), signal()), { up: true });
  t.equal(honest.received[0]?.subarray(12).toString('hex'), '03737663047465737400' + '001c0001', 'the question: svc.test AAAA IN');
});

t.test('DNS_CHECK against a server that answers with the wrong id', async (t) => {
  const liar = await udpServer('127.0.0.1', (q) => {
    const r = Buffer.from(q);
    r.writeUInt16BE((q.readUInt16BE(0) + 1) & 0xffff, 0);
    r.writeUInt16BE(0x8180, 2);
    return r;
  });
  t.teardown(() => liar.close());
  const prober = createProber();
  t.match(await prober.probe(dnsCheck(fast('127.0.0.1', liar.port), 'A', 'svc.test'), signal()), { up: false, reason: 'timeout' }, 'the reply is ignored and the wait times out');
  t.equal(liar.received.length, 1);
  const ids = new Set<number>();
  for (let i = 0; i < 3; i++) {
    await prober.probe(dnsCheck(conn('127.0.0.1', liar.port, { connectTimeout: 0.05 }), 'A', 'svc.test'), signal());
  }
  for (const q of liar.received) ids.add(q.readUInt16BE(0));
  t.ok(ids.size >= 3, 'each attempt takes a fresh random id');
});

t.test('SMTP_CHECK against OpenSMTPD', { skip: missing('smtpd') ?? false }, async (t) => {
  const tmp = tempDir('smtp');
  t.teardown(tmp.remove);
  const [port, port6] = [await freePort('127.0.0.1'), await freePort('::1')];
  const smtpd = await startSmtpd(tmp.dir, [['127.0.0.1', port], ['::1', port6]]);
  t.teardown(() => smtpd.stop());
  const prober = createProber();
  t.match(await prober.probe(smtpCheck(fast('127.0.0.1', port), 'lvsd.example'), signal()), { up: true }, smtpd.log());
  t.match(await prober.probe(smtpCheck(fast('::1', port6)), signal()), { up: true }, 'over IPv6');
  await smtpd.stop();
  t.match(await prober.probe(smtpCheck(fast('127.0.0.1', port)), signal()), { up: false, reason: 'refused' });
});

t.test('SMTP_CHECK against peers that answer wrongly', async (t) => {
  const prober = createProber();
  const cases: [string, Parameters<typeof hostileTcp>[1], string | undefined, RegExp][] = [
    ['a 554 banner', 'reply', '554 no service\r\n', /greeting/],
    ['garbage', 'garbage', undefined, /greeting/],
    ['a banner and then nothing', 'reply', '220 hello\r\n', /closed|HELO/],
    ['silence', 'silent', undefined, /no progress/],
  ];
  for (const [name, how, reply, detail] of cases) {
    const h = await hostileTcp('127.0.0.1', how, reply === undefined ? {} : { reply });
    t.match(await prober.probe(smtpCheck(fast('127.0.0.1', h.port)), signal()), { up: false, detail }, name);
    await h.close();
  }
});

t.test('UDP_CHECK against an echo server', async (t) => {
  const echo = await udpServer('127.0.0.1', (d) => d);
  t.teardown(() => echo.close());
  const prober = createProber();
  const c = fast('127.0.0.1', echo.port);
  const hello = [...Buffer.from('hello')];
  t.match(await prober.probe(udpCheck(c, { payload: hello, requireReply: true, replyData: hello, replyMask: null }), signal()), { up: true, detail: /matches/ });
  t.same([...(echo.received.at(-1) ?? [])], hello, 'the payload went out as configured');
  t.match(await prober.probe(udpCheck(c, { payload: hello, requireReply: true, replyData: [...Buffer.from('hexlo')], replyMask: [0, 0, 0xff, 0, 0] }), signal()), { up: true }, 'X matches any byte');
  t.match(await prober.probe(udpCheck(c, { payload: hello, requireReply: true, replyData: [...Buffer.from('world')], replyMask: null }), signal()), { up: false, reason: 'protocol' });
  t.match(await prober.probe(udpCheck(c, { payload: hello, requireReply: true, replyData: hello, replyMask: null, maxReplyLength: 4 }), signal()), { up: false, detail: /outside/ });
  t.match(await prober.probe(udpCheck(c), signal()), { up: true });
  t.equal(echo.received.at(-1)?.length, 32, 'no payload: 32 random bytes');
  t.match(await prober.probe(udpCheck(fast('::1', echo.port), { requireReply: true }), signal()), { up: false, reason: 'refused' }, 'nothing on ::1 at that port');
});

t.test('UDP_CHECK: silence and port unreachable', async (t) => {
  const mute = await udpServer('127.0.0.1', () => null);
  const prober = createProber();
  t.match(await prober.probe(udpCheck(fast('127.0.0.1', mute.port)), signal()), { up: true, detail: /none required/ });
  t.match(await prober.probe(udpCheck(fast('127.0.0.1', mute.port), { requireReply: true }), signal()), { up: false, reason: 'timeout' });
  await mute.close();
  t.match(await prober.probe(udpCheck(fast('127.0.0.1', mute.port)), signal()), { up: false, reason: 'refused' }, 'ICMP port unreachable is down even without require_reply');
});
