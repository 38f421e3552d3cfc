import t from 'tap';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProber } from '../../src/platform/probe/index.js';
import { conn, httpCheck, regex as rx, tcpCheck, url } from '../../src/testing/checkers.js';
import { hostileTcp } from '../../src/testing/hostile.js';
import { freePort } from '../../src/platform/free-port.js';
import { missing, selfSigned, startNginx, tempDir } from '../../src/testing/peers.js';

// HTTP_GET, SSL_GET and TCP_CHECK against a real nginx on loopback (HTTP, HTTPS with SNI and client
// certificates, IPv6), then against peers that misbehave on purpose.

const skip = missing('nginx', 'openssl');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const regex = (pattern: string, noMatch = false): ReturnType<typeof rx> => rx(pattern, { noMatch });
const signal = (): AbortSignal => new AbortController().signal;
const PAGE = 'hello from nginx, status: healthy\n';

t.test('checkers against nginx', { skip: skip ?? false }, async (t) => {
  const tmp = tempDir('nginx');
  t.teardown(tmp.remove);
  const a = selfSigned(tmp.dir, 'a.test');
  const b = selfSigned(tmp.dir, 'b.test');
  const client = selfSigned(tmp.dir, 'lvsd-client');
  writeFileSync(path.join(tmp.dir, 'index.html'), PAGE);
  const [http, https, http6] = [await freePort('127.0.0.1'), await freePort('127.0.0.1'), await freePort('::1')];
  const tlsServer = (name: string, c: { cert: string; key: string }): string => `server { listen 127.0.0.1:${https} ssl; server_name ${name};
    ssl_certificate ${c.cert}; ssl_certificate_key ${c.key}; ssl_verify_client optional_no_ca;
    location / { return 200 "site ${name} sni=$ssl_server_name client=$ssl_client_s_dn\\n"; } }`;
  const nginx = await startNginx(tmp.dir, `
    server { listen 127.0.0.1:${http}; listen [::1]:${http6}; root ${tmp.dir}; location /missing { return 404; } location /moved { return 301 /index.html; } }
    ${tlsServer('a.test', a)}
    ${tlsServer('b.test', b)}`, ['127.0.0.1', http]);
  t.teardown(() => nginx.stop());
  const prober = createProber({ ssl: { ca: null, certificate: client.cert, key: client.key, password: null } });
  const c = conn('127.0.0.1', http);

  t.test('HTTP_GET: status, digest, regex, every protocol', async (t) => {
    t.match(await prober.probe(httpCheck(c, [url('/index.html', { digest: md5(PAGE) })]), signal()), { up: true, detail: /MD5 digest ok/ });
    for (const p of ['1.0', '1.0C', '1.1'] as const) {
      t.match(await prober.probe(httpCheck(c, [url('/index.html', { digest: md5(PAGE) })], { httpProtocol: p }), signal()), { up: true }, `http_protocol ${p}`);
    }
    t.match(await prober.probe(httpCheck(c, [url('/index.html', { digest: md5('other') })]), signal()), { up: false, reason: 'digest' });
    t.match(await prober.probe(httpCheck(c, [url('/missing')]), signal()), { up: false, reason: 'status', detail: /url \/missing: HTTP status 404/ });
    t.match(await prober.probe(httpCheck(c, [url('/missing', { statusCodes: [[404, 404]] })]), signal()), { up: true });
    t.match(await prober.probe(httpCheck(c, [url('/moved')]), signal()), { up: false, reason: 'status' }, 'a redirect is not followed');
    t.match(await prober.probe(httpCheck(c, [url('/index.html', { regex: regex('status: (healthy|ok)') })]), signal()), { up: true, detail: /regex/ });
    t.match(await prober.probe(httpCheck(c, [url('/index.html', { regex: regex('healthy', true) })]), signal()), { up: false, reason: 'regex' });
    t.match(await prober.probe(httpCheck(c, [url('/index.html'), url('/missing')]), signal()), { up: false, detail: /\/missing/ }, 'every url must pass');
  });

  t.test('IPv6', async (t) => {
    t.match(await prober.probe(httpCheck(conn('::1', http6), [url('/index.html', { digest: md5(PAGE) })]), signal()), { up: true });
    t.match(await prober.probe(tcpCheck(conn('::1', http6)), signal()), { up: true });
  });

  t.test('SSL_GET: SNI picks the site, the SSL block presents a client certificate', async (t) => {
    const ssl = (vhost: string, sni: boolean, pattern: string): Promise<unknown> =>
      prober.probe(httpCheck(conn('127.0.0.1', https), [url('/', { virtualhost: vhost, regex: regex(pattern) })], { type: 'SSL_GET', enableSni: sni }), signal());
    t.match(await ssl('a.test', true, '^site a\\.test sni=a\\.test '), { up: true });
    t.match(await ssl('b.test', true, '^site b\\.test sni=b\\.test '), { up: true });
    t.match(await ssl('b.test', false, 'sni= '), { up: true }, 'without enable_sni no server name is sent');
    t.match(await ssl('a.test', true, 'client=CN=lvsd-client'), { up: true }, 'the client certificate was presented');
    const noCert = createProber({ ssl: { ca: null, certificate: path.join(tmp.dir, 'nope.crt'), key: null, password: null } });
    t.match(await noCert.probe(httpCheck(conn('127.0.0.1', https), [url('/')], { type: 'SSL_GET' }), signal()), { up: false, reason: 'tls', detail: /SSL block/ });
    t.match(await prober.probe(httpCheck(c, [url('/')], { type: 'SSL_GET' }), signal()), { up: false, reason: 'tls' }, 'TLS to a plain HTTP port');
  });

  t.test('TCP_CHECK and a stopped peer', async (t) => {
    t.match(await prober.probe(tcpCheck(c), signal()), { up: true, detail: 'connected' });
    await nginx.stop();
    t.match(await prober.probe(tcpCheck(c), signal()), { up: false, reason: 'refused' });
    t.match(await prober.probe(httpCheck(c, [url('/index.html')]), signal()), { up: false, reason: 'refused' });
  });
});

t.test('hostile HTTP peers: results with reasons, bounded memory, no crash', async (t) => {
  const prober = createProber();
  const on = (port: number, more: Parameters<typeof conn>[2] = {}): ReturnType<typeof conn> => conn('127.0.0.1', port, { connectTimeout: 0.5, ...more });

  t.test('accepts and never answers: a read timeout near connect_timeout', async (t) => {
    const h = await hostileTcp('127.0.0.1', 'silent');
    t.teardown(() => h.close());
    const t0 = performance.now();
    t.match(await prober.probe(httpCheck(on(h.port), [url('/')]), signal()), { up: false, reason: 'timeout' });
    const took = performance.now() - t0;
    t.ok(took >= 450 && took < 3000, `took ${took.toFixed(0)} ms for a 500 ms timeout`);
  });

  t.test('100 MB of body: read to the end, digest streamed, memory bounded', async (t) => {
    const h = await hostileTcp('127.0.0.1', 'flood');
    t.teardown(() => h.close());
    const before = process.memoryUsage().rss;
    const r = await prober.probe(httpCheck(on(h.port, { connectTimeout: 5 }), [url('/', { digest: md5('x') })]), signal());
    const grew = process.memoryUsage().rss - before;
    t.match(r, { up: false, reason: 'digest' });
    t.equal(h.flooded(), 100 * 1024 * 1024, 'the whole body was sent and read');
    t.ok(grew < 64 * 1024 * 1024, `rss grew ${(grew / 1048576).toFixed(1)} MiB`);
  });

  t.test('a bad status ends the read at the header, before the flood', async (t) => {
    const h = await hostileTcp('127.0.0.1', 'flood');
    t.teardown(() => h.close());
    t.match(await prober.probe(httpCheck(on(h.port), [url('/', { statusCodes: [[204, 204]] })]), signal()), { up: false, reason: 'status' });
  });

  t.test('garbage instead of HTTP', async (t) => {
    const h = await hostileTcp('127.0.0.1', 'garbage');
    t.teardown(() => h.close());
    t.match(await prober.probe(httpCheck(on(h.port), [url('/')]), signal()), { up: false, reason: 'status', detail: /no HTTP status/ });
  });

  t.test('a header that never ends', async (t) => {
    const h = await hostileTcp('127.0.0.1', 'reply', { reply: `HTTP/1.0 200 OK\r\n${'X-Pad: y\r\n'.repeat(1000)}` });
    t.teardown(() => h.close());
    t.match(await prober.probe(httpCheck(on(h.port), [url('/')]), signal()), { up: false, reason: 'protocol', detail: /4095/ });
  });

  t.test('a reset in the middle of the body', async (t) => {
    const h = await hostileTcp('127.0.0.1', 'reset');
    t.teardown(() => h.close());
    t.match(await prober.probe(httpCheck(on(h.port), [url('/')]), signal()), { up: false, reason: 'reset' });
  });

  t.test('the request on the wire is keepalived\'s', async (t) => {
    const h = await hostileTcp('127.0.0.1', 'reply', { reply: 'HTTP/1.0 200 OK\r\n\r\nok' });
    t.teardown(() => h.close());
    t.match(await prober.probe(httpCheck(on(h.port), [url('/x', { virtualhost: 'www.example.org' })], { httpProtocol: '1.1' }), signal()), { up: true });
    t.equal(h.received[0]?.toString('latin1'), 'GET /x HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\nHost: www.example.org\r\n\r\n');
  });

  t.test('aborting ends the attempt at once', async (t) => {
    const h = await hostileTcp('127.0.0.1', 'silent');
    t.teardown(() => h.close());
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    t.match(await prober.probe(httpCheck(on(h.port, { connectTimeout: 10 }), [url('/')]), ac.signal), { up: false, detail: /cancelled/ });
    t.ok(performance.now() - t0 < 2000, 'well before the 10 s connect_timeout');
  });

  t.test('options Node cannot honour fail clearly', async (t) => {
    t.match(await prober.probe(tcpCheck(on(1, { fwmark: 7 })), signal()), { up: false, reason: 'error', detail: /SO_MARK/ });
    t.match(await prober.probe(tcpCheck(on(1, { bindIf: 'lo' })), signal()), { up: false, reason: 'error', detail: /SO_BINDTODEVICE/ });
  });
});
