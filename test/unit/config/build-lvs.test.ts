import t from 'tap';
import type { Checker, HttpCheck } from '../../../src/model/config.js';
import { build, vs } from './fixtures/build.js';

const rsBlock = (head: string, body: string) => ` real_server ${head} {\n${body}\n }`;
const first = (text: string, env = {}) => {
  const r = build(text, env);
  const v = r.config.virtualServers[0]!;
  return { ...r, v, rs: v?.realServers[0]!, ck: v?.realServers[0]?.checkers[0] as Checker };
};

t.test('virtual_server and real_server defaults', async (t) => {
  const r = first(vs(rsBlock('10.0.1.1 80', '  TCP_CHECK {\n  }')));
  t.same(r.diagnostics, []);
  t.match(r.v, {
    key: { kind: 'addr', addr: { text: '10.0.0.1' }, port: 80 }, family: 4, protocol: 'tcp', scheduler: 'rr',
    schedFlags: { fallback: false, port: false, flag3: false }, ops: false, persistenceTimeout: 0, persistenceGranularity: 0xffffffff,
    persistenceEngine: null, haSuspend: false, alpha: false, omega: false, quorum: 1, hysteresis: 0, sorryServer: null,
    inhibitOnFailure: false, virtualhost: null, smtpAlert: false, delayLoop: 60, connectTimeout: 5,
  });
  t.match(r.rs, { port: 80, weight: 1, forwarding: { method: 'masq' }, inhibitOnFailure: false, alpha: false, uthreshold: 0, lthreshold: 0, smtpAlert: true, delayLoop: 60, connectTimeout: 5 });
  t.same(r.ck, {
    type: 'TCP_CHECK', loc: { file: 'test.conf', line: 6 }, alpha: false, retry: 1, delayBeforeRetry: 1, warmup: 60, delayLoop: 60, logAllFailures: false,
    conn: { connectIp: { af: 4, text: '10.0.1.1' }, connectPort: 80, bindto: null, bindPort: 0, bindIf: null, connectTimeout: 5, fwmark: 0 },
  });
});

t.test('keepalived 2.2.7 defaults and their warnings: wlc, NAT, UDP', async (t) => {
  const r = first('virtual_server 10.0.0.1 53 {\n real_server 10.0.1.1 53 {\n }\n}');
  t.match(r.v, { scheduler: 'wlc', protocol: 'udp', forwarding: { method: 'masq' } });
  t.same(r.errors, []);
  t.same(r.text('warning').map((w) => w.replace(/;.*/, '')), [
    '1 LVSD_W_CONFIG_ADJUSTED virtual_server 10.0.0.1 53: has no protocol',
    '1 LVSD_W_CONFIG_ADJUSTED virtual_server 10.0.0.1 53: has no lvs_sched',
    '1 LVSD_W_CONFIG_ADJUSTED virtual_server 10.0.0.1 53: has no lvs_method',
  ]);
});

t.test('inheritance: virtual_server → real_server → checker (validate_check_config)', async (t) => {
  const r = build(vs(` delay_loop 10\n connect_timeout 4\n retry 2\n delay_before_retry 7\n warmup 3\n alpha\n inhibit_on_failure\n weight 5
${rsBlock('10.0.1.1 80', '  TCP_CHECK {\n  }\n  HTTP_GET {\n   retry 9\n   connect_timeout 1.5\n   url {\n    path /\n   }\n  }')}
${rsBlock('10.0.1.2 80', '  delay_loop 20\n  alpha no\n  weight 2\n  inhibit_on_failure false\n  TCP_CHECK {\n   warmup 0\n  }')}`));
  t.same(r.errors, []);
  const [a, b] = r.config.virtualServers[0]!.realServers;
  t.match(a, { weight: 5, alpha: true, inhibitOnFailure: true, delayLoop: 10, connectTimeout: 4 });
  t.match(a!.checkers, [
    { type: 'TCP_CHECK', retry: 2, delayBeforeRetry: 7, warmup: 3, delayLoop: 10, alpha: true, conn: { connectTimeout: 4 } },
    { type: 'HTTP_GET', retry: 9, delayBeforeRetry: 7, conn: { connectTimeout: 1.5 } },
  ]);
  t.match(b, { weight: 2, alpha: false, inhibitOnFailure: false, delayLoop: 20 });
  t.match(b!.checkers, [{ delayLoop: 20, warmup: 0, alpha: false }]);
});

t.test('per-checker defaults (queue_checker default_retry / default_delay_before_retry)', async (t) => {
  const r = build(vs(rsBlock('10.0.1.1 80', `  TCP_CHECK {\n  }\n  HTTP_GET {\n   url {\n    path /\n   }\n  }\n  DNS_CHECK {\n   name example.com\n  }
  MISC_CHECK {\n   misc_path /bin/check\n  }\n  SMTP_CHECK {\n  }\n  UDP_CHECK {\n  }\n  PING_CHECK {\n  }`), '10.0.0.1 80', ) .replace(' delay_loop', ''), {});
  const list = r.config.virtualServers[0]!.realServers[0]!.checkers;
  t.same(list.map((c) => [c.type, 'retry' in c ? c.retry : null, 'delayBeforeRetry' in c ? c.delayBeforeRetry : null]), [
    ['TCP_CHECK', 1, 1], ['HTTP_GET', 1, 3], ['DNS_CHECK', 3, 60], ['MISC_CHECK', 0, 1], ['SMTP_CHECK', 1, 1], ['UDP_CHECK', 1, 1], ['PING_CHECK', 1, 1],
  ]);
  t.match(list[1], { httpProtocol: '1.0', fastRecovery: false, urls: [{ statusCodes: [[200, 299]], digest: null, virtualhost: null, regex: null }] });
  t.match(list[2], { queryType: 'SOA', name: 'example.com' });
  t.match(list[3], { timeout: 60, dynamic: false, script: { argv: ['/bin/check'] } });
  t.match(list[4], { heloName: 'smtpchecker.keepalived.org' });
});

t.test('ports: NAT fills a missing port; DR/TUN cannot change it', async (t) => {
  const nat = first(vs(rsBlock('10.0.1.1', '  TCP_CHECK {\n  }')));
  t.equal(nat.rs.port, 80, 'the real server gets the service port');
  t.match(nat.ck, { conn: { connectPort: 0 } }, 'the checker copied the address before keepalived fixed the port');
  t.match(nat.text('warning'), [/TCP_CHECK: has no port to connect to/]);
  const dr = first(vs(rsBlock('10.0.1.1 8080', '')).replace('lb_kind NAT', 'lb_kind DR'));
  t.equal(dr.rs.port, 80);
  t.match(dr.text('warning'), [/port 8080 differs from the virtual server's 80; DR\/TUN cannot change ports/]);
  const fw = first(vs(rsBlock('10.0.1.1 8080', ''), 'fwmark 7').replace('lb_kind NAT', 'lb_kind DR').replace(' protocol TCP\n', ''));
  t.match(fw.v, { key: { kind: 'fwmark', fwmark: 7 }, protocol: null, family: 4 });
  t.equal(fw.rs.port, 0);
  const natFw = first(vs(rsBlock('10.0.1.1 8080', ''), 'fwmark 7').replace(' protocol TCP\n', ''));
  t.equal(natFw.rs.port, 8080, 'NAT keeps the port for a fwmark service');
});

t.test('persistence and scheduler flags', async (t) => {
  t.equal(first(vs(' persistence_timeout\n' + rsBlock('10.0.1.1 80', ''))).v.persistenceTimeout, 360);
  const g = first(vs(' persistence_granularity 255.255.255.0\n' + rsBlock('10.0.1.1 80', ''))).v;
  t.match(g, { persistenceGranularity: 0xffffff00, persistenceTimeout: 360 });
  t.equal(first(vs(' persistence_granularity 64\n persistence_timeout 30\n' + rsBlock('2001:db8::2 80', ''), '2001:db8::1 80')).v.persistenceGranularity, 64);
  const portless = first(vs(rsBlock('10.0.1.1', ''), '10.0.0.1'));
  t.match(portless.v, { key: { port: 0 }, persistenceTimeout: 360 });
  t.match(portless.text('warning'), [/without a port must be persistent/]);
  const before = first(vs(' sh-port\n' + rsBlock('10.0.1.1 80', '')).replace('lb_algo rr', 'lb_algo rr'));
  t.same(before.v.schedFlags, { fallback: false, port: false, flag3: false });
  t.match(before.text('warning'), [/sh-port only applies after lvs_sched sh/]);
  const after = first(vs(' lvs_sched sh\n sh-port\n sh-fallback\n flag-3\n' + rsBlock('10.0.1.1 80', '')));
  t.match(after.v, { scheduler: 'sh', schedFlags: { fallback: true, port: true, flag3: true } });
  const ops = first(vs(' ops\n' + rsBlock('10.0.1.1 80', '')));
  t.equal(ops.v.ops, false, 'one-packet scheduling is UDP only');
  t.equal(first(vs(' ops\n' + rsBlock('10.0.1.1 80', '')).replace('protocol TCP', 'protocol udp')).v.ops, true);
});

t.test('quorum, hysteresis and the sorry server', async (t) => {
  const q = first(vs(` quorum 5\n hysteresis 9\n sorry_server 10.0.9.9\n sorry_server_inhibit\n sorry_server_lvs_method DR\n${rsBlock('10.0.1.1 80', '  weight 2')}\n${rsBlock('10.0.1.2 80', '  weight 1')}`));
  t.match(q.v, { quorum: 3, hysteresis: 2 });
  t.same(q.v.sorryServer, { addr: { af: 4, text: '10.0.9.9' }, port: 80, forwarding: { method: 'route', tunType: 'ipip', tunPort: 0, tunCsum: 'nocsum' }, inhibit: true });
  t.match(q.text('warning'), [/quorum 5 exceeds the real servers' total weight 3; using 3/, /hysteresis 9 must be below quorum 3; using 2/]);
  const early = build(vs(` sorry_server_inhibit\n${rsBlock('10.0.1.1 80', '')}`));
  t.match(early.text('warning'), [/sorry_server_inhibit comes before \(or without\) sorry_server/]);
  const fam = build(vs(` sorry_server 2001:db8::9 80\n${rsBlock('10.0.1.1 80', '')}`));
  t.match(fam.text('error'), [/sorry_server 2001:db8::9 is IPv6 but the virtual server is IPv4/]);
});

t.test('tunnelled real servers may differ in family; the fwmark service takes theirs', async (t) => {
  const r = first(`virtual_server fwmark 3 {\n lb_algo rr\n lb_kind TUN type gue port 6080 csum\n${rsBlock('2001:db8::5', '')}\n}`);
  t.same(r.errors, []);
  t.match(r.v, { family: 6, forwarding: { method: 'tunnel', tunType: 'gue', tunPort: 6080, tunCsum: 'csum' } });
  t.equal(first(`virtual_server fwmark 3 {\n lb_kind TUN\n ip_family inet6\n lb_algo rr\n${rsBlock('10.0.1.1', '')}\n}`).v.family, 6);
  t.same(build(vs(rsBlock('2001:db8::5 80', '  lvs_method TUN'))).errors, [], 'a TUN real server of another family is fine');
});

t.test('virtual_server_group: ranges are expanded; the service takes the group family', async (t) => {
  const r = build(`virtual_server_group G {\n 10.0.0.250-10.0.1.5 80\n 10.0.2.0/30 443\n fwmark 9 inet\n}\n${vs(rsBlock('10.0.1.1 80', ''), 'group G')}`);
  t.same(r.errors, []);
  const g = r.config.virtualServerGroups[0]!;
  t.equal(g.ranges[0]!.addrs.length, 12);
  t.same(g.ranges[0]!.addrs.slice(5, 7).map((a) => a.text), ['10.0.0.255', '10.0.1.0']);
  t.same(g.ranges[1]!.addrs.map((a) => a.text), ['10.0.2.0', '10.0.2.1', '10.0.2.2', '10.0.2.3']);
  t.same(g.fwmarks, [{ loc: { file: 'test.conf', line: 4 }, fwmark: 9, family: 4 }]);
  t.match(r.config.virtualServers[0], { key: { kind: 'group', group: 'G' }, family: 4, protocol: 'tcp' });
  t.match(build('virtual_server_group G {\n 10.0.0.0/8 80\n}').text('error'), [/^2 LVSD_E_CONFIG_VALUE .*covers 16777216 addresses/]);
  t.match(build('virtual_server_group G {\n 10.0.0.1 80\n 2001:db8::1 80\n fwmark 4\n}').text('error'), [/^1 .*each fwmark needs inet or inet6/]);
  t.match(build('virtual_server_group G {\n}').text('warning'), [/^1 .*has no entries and is ignored/]);
});

t.test('identity: duplicate services and real servers', async (t) => {
  const proto = build(vs(rsBlock('10.0.1.1 80', '')) + vs(rsBlock('10.0.1.1 80', '')).replace('protocol TCP', 'protocol UDP'));
  t.same(proto.errors, [], 'TCP and UDP on one address and port are two services');
  t.equal(proto.config.virtualServers.length, 2);
  const fw = build(vs(rsBlock('10.0.1.1', ''), 'fwmark 1').replace(' protocol TCP\n', '').repeat(2));
  t.match(fw.text('error'), [/virtual_server fwmark 1 duplicates the virtual_server at test.conf:1/]);
  const rs = build(vs(rsBlock('10.0.1.1', '') + '\n' + rsBlock('10.0.1.1 80', '')));
  t.match(rs.text('error'), [/real_server 10.0.1.1 80 is already defined at test.conf:5/], 'compared after the port is filled in');
  t.match(build(vs('')).text('warning'), [/has no real servers and is ignored/]);
});

// The regex line is read with keepalived's escapes (alloc_strvec_quoted_escaped): the configuration
// needs a doubled backslash to hand PCRE `\s` — a single one would leave just `s`.
t.test('HTTP checks: urls, virtualhost chain, regex', async (t) => {
  const r = first(vs(` virtualhost vs.example\n${rsBlock('10.0.1.1 80', `  virtualhost rs.example
  SSL_GET {
   http_protocol 1.1
   enable_sni
   fast_recovery
   virtualhost chk.example
   url {
    path /a
    virtualhost url.example
    digest 9B3A0C85A887A256D6939DA88AABD8CD
   }
   url {
    path /b
    status_code 200 301-302
    regex "^OK\\\\s"
    regex_options caseless multiline sideways
    regex_max_offset 100
   }
   url {
    path /c
    regex_no_match
   }
  }
  HTTP_GET {
   url {
    path /d
   }
  }`)}`));
  const [ssl, http] = r.rs.checkers as [HttpCheck, HttpCheck];
  t.match(ssl, { type: 'SSL_GET', httpProtocol: '1.1', enableSni: true, fastRecovery: true });
  t.same(ssl.urls.map((u) => u.virtualhost), ['url.example', 'chk.example', 'chk.example']);
  t.equal(ssl.urls[0]!.digest, '9b3a0c85a887a256d6939da88aabd8cd');
  t.same(ssl.urls[1]!.statusCodes, [[200, 200], [301, 302]]);
  t.same(ssl.urls[1]!.regex, { pattern: '^OK\\s', noMatch: false, options: ['caseless', 'multiline'], minOffset: 0, maxOffset: 101, stack: null });
  t.equal(ssl.urls[2]!.regex, null);
  t.equal(http.urls[0]!.virtualhost, 'rs.example', 'falls back to the real server, then the virtual server');
  t.same(r.text('warning').map((w) => w.replace(/^\d+ \S+ .*> (SSL_GET: )?/, '')), ['unknown regex option sideways is ignored', 'regex options are given without a regex and are ignored']);
});

t.test('UDP, DNS, MISC and FILE checks', async (t) => {
  const r = first(`track_file enable {\n file /run/lb/enable\n weight -3 reverse\n}\n${vs(rsBlock('10.0.1.1 53', `  UDP_CHECK {
   payload 00 01 02ff
   require_reply 0001 xx
   max_reply_length 512
  }
  DNS_CHECK {
   type aaaa
   name www.example.com
   connect_ip 10.0.1.53
   connect_port 5353
   bindto 10.0.0.2
   bind_port 53000
   fwmark 77
  }
  MISC_CHECK {
   misc_path "/usr/lib/check 'two words'"
   misc_timeout 8
   misc_dynamic
   user nobody
   connect_port 1
  }
  FILE_CHECK {
   track_file enable
  }
  FILE_CHECK {
   track_file enable
   weight 10
  }
  BFD_CHECK {
   name x
  }`))}`);
  const [udp, dns, misc, f1, f2] = r.rs.checkers;
  t.match(udp, { type: 'UDP_CHECK', payload: [0, 1, 2, 0xff], requireReply: true, replyData: [0, 1, 0], replyMask: [0, 0, 0xff], minReplyLength: 0, maxReplyLength: 512 });
  t.match(dns, { type: 'DNS_CHECK', queryType: 'AAAA', name: 'www.example.com', conn: { connectIp: { text: '10.0.1.53' }, connectPort: 5353, bindto: { text: '10.0.0.2' }, bindPort: 53000, fwmark: 77 } });
  t.match(misc, { type: 'MISC_CHECK', timeout: 8, dynamic: true, script: { argv: ['/usr/lib/check', 'two words'], user: 'nobody', group: null } });
  t.same(f1, { type: 'FILE_CHECK', loc: { file: 'test.conf', line: 31 }, trackFile: 'enable', weight: -3, reverse: true });
  t.match(f2, { weight: 10, reverse: false });
  t.equal(r.rs.checkers.length, 5, 'BFD_CHECK is dropped');
  t.same(r.errors, []);
  t.same(r.warnings.map((w) => [w.loc.line, w.code]), [[29, 'LVSD_W_CONFIG_UNKNOWN_KEYWORD'], [38, 'LVSD_W_CONFIG_IGNORED']], 'MISC_CHECK has no connection keywords');
});

t.test('connection options keepalived refuses', async (t) => {
  const fam = build(vs(rsBlock('10.0.1.1 80', '  TCP_CHECK {\n   bindto 2001:db8::1\n  }')));
  t.match(fam.text('error'), [/bindto 2001:db8::1 and the connect address 10.0.1.1 are of different families/]);
  t.equal(fam.config.virtualServers[0]!.realServers[0]!.checkers.length, 0);
  const ll = build(vs(rsBlock('fe80::1 80', '  TCP_CHECK {\n  }'), '2001:db8::1 80'));
  t.match(ll.text('error'), [/the link-local address fe80::1 needs bind_if/]);
});

t.test('smtp_alert defaults differ between virtual and real servers', async (t) => {
  const r = first(vs(rsBlock('10.0.1.1 80', '')));
  t.match([r.v.smtpAlert, r.rs.smtpAlert], [false, true]);
  const off = first(`global_defs {\n smtp_alert_checker off\n}\n${vs(rsBlock('10.0.1.1 80', ''))}`);
  t.match([off.v.smtpAlert, off.rs.smtpAlert], [false, false]);
});

t.test('a block in the wrong place is an error naming where it belongs', async (t) => {
  const r = build(`virtual_server 10.0.0.1 80 {\n lb_algo rr\n virtual_server 10.0.0.2 80 {\n }\n real_server 10.0.1.1 80 {\n  url {\n   path /\n  }\n }\n}`);
  t.same(r.text('error'), [
    '3 LVSD_E_CONFIG_PLACEMENT virtual_server 10.0.0.1 80: virtual_server is only valid at the top level',
    '6 LVSD_E_CONFIG_PLACEMENT virtual_server 10.0.0.1 80 > real_server 10.0.1.1 80: url is only valid inside an HTTP_GET or SSL_GET block',
  ]);
});
