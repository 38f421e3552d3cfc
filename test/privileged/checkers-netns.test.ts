import t from 'tap';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Lab } from '../../src/testing/netns.js';
import { repoRoot } from '../../src/testing/repo.js';
import { conn, dnsCheck, httpCheck, pingCheck, regex, tcpCheck, udpCheck, url } from '../../src/testing/checkers.js';
import { missing } from '../../src/testing/peers.js';
import type { TimedChecker, ProbeResult } from '../../src/ports/prober.js';

// The probers across a veth between two namespaces the test makes: a client namespace where the
// probes run (the built prober, in a child node) and a real-server namespace with an HTTP server, a UDP
// echo and nftables rules that blackhole, reset or ICMP-reject the checks. IPv4 and IPv6, bindto.

const skip = Lab.canRun() ?? missing('nft');
const SERVERS = `
const http = require('http'), dgram = require('dgram');
http.createServer((q, s) => s.end('from ' + q.socket.remoteAddress)).listen(80, '::');
const u = dgram.createSocket('udp6'); u.on('message', (m, r) => u.send(m, r.port, r.address)); u.bind(7, '::', () => console.log('ready'));`;
/** Runs the checks with the built prober inside ns, one after the other, and prints their results as JSON. */
const PROBE = `
import(process.argv[1]).then(async ({ createProber }) => {
  const p = createProber(); const out = [];
  for (const c of JSON.parse(process.argv[2])) out.push(await p.probe(c, new AbortController().signal));
  console.log(JSON.stringify(out));
});`;

t.test('checkers across namespaces', { skip: skip ?? false }, async (t) => {
  execFileSync(process.execPath, [path.join(repoRoot(), 'scripts', 'ensure.mjs')], { stdio: 'ignore' });
  const lab = new Lab('ck');
  t.teardown(() => lab.teardown());
  const client = lab.host('client');
  const rs = lab.host('rs');
  lab.link(client, '198.18.5.2/24', rs, '198.18.5.1/24');
  lab.exec(client, 'ip', ['addr', 'add', '198.18.5.3/24', 'dev', 'v0x1']);
  lab.exec(client, 'ip', ['addr', 'add', 'fd00:5::2/64', 'dev', 'v0x1', 'nodad']);
  lab.exec(rs, 'ip', ['addr', 'add', 'fd00:5::1/64', 'dev', 'v1x0', 'nodad']);
  const servers = lab.spawn(rs, process.execPath, ['-e', SERVERS]);
  await new Promise<void>((resolve) => servers.stdout?.once('data', () => resolve()));

  const prober = path.join(repoRoot(), 'dist', 'src', 'platform', 'probe', 'index.js');
  const probe = (checks: TimedChecker[]): ProbeResult[] => JSON.parse(lab.exec(client, process.execPath, ['-e', PROBE, prober, JSON.stringify(checks)])) as ProbeResult[];
  const nft = (rules: string): void => void lab.exec(rs, 'nft', [`add table inet ck; flush table inet ck; add chain inet ck in { type filter hook input priority 0; }; ${rules}`]);
  const v4 = (port: number, more = {}): ReturnType<typeof conn> => conn('198.18.5.1', port, { connectTimeout: 0.5, ...more });
  const v6 = (port: number): ReturnType<typeof conn> => conn('fd00:5::1', port, { connectTimeout: 0.5 });

  t.test('reachable: IPv4 and IPv6, bindto picks the source', async (t) => {
    const [tcp4, tcp6, http4, http6, bound, udp4, udp6] = probe([
      tcpCheck(v4(80)), tcpCheck(v6(80)),
      httpCheck(v4(80), [url('/', { regex: regex('^from ::ffff:198\\.18\\.5\\.2$') })]),
      httpCheck(v6(80), [url('/', { regex: regex('^from fd00:5::2$') })]),
      httpCheck(v4(80, { bindto: { af: 4, text: '198.18.5.3' }, bindPort: 40123 }), [url('/', { regex: regex('^from ::ffff:198\\.18\\.5\\.3$') })]),
      udpCheck(v4(7), { payload: [1, 2, 3], requireReply: true, replyData: [1, 2, 3], replyMask: null }),
      udpCheck(v6(7), { payload: [4, 5], requireReply: true, replyData: [4, 5], replyMask: null }),
    ]);
    t.match(tcp4, { up: true }, JSON.stringify(tcp4));
    t.match(tcp6, { up: true });
    t.match(http4, { up: true }, 'the server saw the client address');
    t.match(http6, { up: true });
    t.match(bound, { up: true }, 'bindto 198.18.5.3 was the source');
    t.match(udp4, { up: true });
    t.match(udp6, { up: true });
  });

  t.test('PING_CHECK: echo over IPv4 and IPv6; fwmark is set on the socket; a drop is a timeout', async (t) => {
    lab.exec(client, 'nft', ['add table inet mk; add chain inet mk out { type filter hook output priority 0; }; add rule inet mk out meta mark 7 drop']);
    const [p4, p6, marked, other] = probe([pingCheck(v4(0)), pingCheck(v6(0)), pingCheck(v4(0, { fwmark: 7 })), pingCheck(v4(0, { fwmark: 8 }))]);
    t.match(p4, { up: true, detail: /echo reply/ });
    t.match(p6, { up: true, detail: /echo reply/ });
    t.match(marked, { up: false, detail: /Operation not permitted/ }, 'the packet carried mark 7: the client\'s output chain dropped it (EPERM)');
    t.match(other, { up: true }, 'mark 8 passes');
    nft('add rule inet ck in icmp type echo-request drop; add rule inet ck in icmpv6 type echo-request drop');
    const [d4, d6] = probe([pingCheck(v4(0)), pingCheck(v6(0))]);
    t.match(d4, { up: false, reason: 'timeout' });
    t.match(d6, { up: false, reason: 'timeout' });
  });

  t.test('blackholed by nftables drop: timeouts', async (t) => {
    nft('add rule inet ck in tcp dport 80 drop; add rule inet ck in udp dport { 7, 53 } drop');
    const t0 = performance.now();
    const [tcp, http, dns, udp, loose] = probe([
      tcpCheck(v4(80)), httpCheck(v6(80), [url('/')]), dnsCheck(v4(53), 'A', 'x.test'),
      udpCheck(v4(7), { requireReply: true }), udpCheck(v4(7)),
    ]);
    t.match(tcp, { up: false, reason: 'timeout' });
    t.match(http, { up: false, reason: 'timeout' });
    t.match(dns, { up: false, reason: 'timeout' });
    t.match(udp, { up: false, reason: 'timeout' });
    t.match(loose, { up: true }, 'UDP without require_reply: silence is success, as in keepalived');
    t.ok(performance.now() - t0 < 15000, 'each waited about connect_timeout');
  });

  t.test('rejected: RST and ICMP', async (t) => {
    nft('add rule inet ck in tcp dport 80 reject with tcp reset; add rule inet ck in tcp dport 81 reject with icmpx type host-unreachable; add rule inet ck in udp dport 7 reject');
    const [rst, icmp, udp] = probe([tcpCheck(v4(80)), tcpCheck(v4(81)), udpCheck(v4(7))]);
    t.match(rst, { up: false, reason: 'refused' });
    t.match(icmp, { up: false, reason: 'unreachable' });
    t.match(udp, { up: false, reason: 'refused' }, 'ICMP port unreachable on the connected socket');
  });

  servers.kill();
  await sleep(10);
});
