// Every keepalived.conf sample shipped with Debian's keepalived 2.2.7 goes through stages 1–3 without an
// error, and yields the services, real servers, checkers and VRRP instances the file describes.
import t, { type Test } from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { buildConfig } from '../../../src/config/build.js';
import { parseConfigFile } from '../../../src/config/parse.js';
import { nodeConfigFs } from '../../../src/platform/node-fs.js';
import { formatDiagnostic } from '../../../src/config/tree.js';
import type { Checker, KeepalivedConfig } from '../../../src/model/config.js';

const DIR = '/usr/share/doc/keepalived/samples';

interface Expect {
  readonly counts: { vs: number; rs: number; checkers: number; instances: number };
  readonly check: (t: Test, c: KeepalivedConfig) => void;
}

const rs = (c: KeepalivedConfig, vs = 0, r = 0) => c.virtualServers[vs]!.realServers[r]!;
const chk = (c: KeepalivedConfig, vs = 0, r = 0, k = 0): Checker => rs(c, vs, r).checkers[k]!;
const vi = (c: KeepalivedConfig, name: string) => c.vrrpInstances.find((i) => i.name === name)!;
const conn = (ch: Checker) => ('conn' in ch ? ch.conn : null);
/** The checker as the given type (a wrong type fails the test through the thrown error). */
type Of<T> = Checker extends infer C ? (C extends { readonly type: infer U } ? (T extends U ? C : never) : never) : never;
function as<T extends Checker['type']>(ch: Checker, type: T): Of<T> {
  if (ch.type !== type) throw new Error(`expected ${type}, got ${ch.type}`);
  return ch as Of<T>;
}

const SAMPLES: Readonly<Record<string, Expect>> = {
  'HTTP_GET.port': {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      t.equal(c.global.routerId, 'LVS_DEVEL');
      t.same(c.global.smtpServer, { host: '192.168.200.1', port: 25 });
      t.same(c.global.notificationEmail, ['acassen']);
      const v = c.virtualServers[0]!;
      t.same(v.key, { kind: 'addr', addr: { af: 4, text: '192.168.200.100' }, port: 443 });
      t.match(v, { protocol: 'tcp', scheduler: 'rr', persistenceTimeout: 50, forwarding: { method: 'masq' } });
      const k = chk(c);
      t.match(k, { type: 'SSL_GET', retry: 3, delayBeforeRetry: 3, delayLoop: 6, warmup: 6, conn: { connectPort: 444, connectTimeout: 3 } });
      t.match(k, { urls: [{ path: '/', digest: 'ff20ad2481f97b1754ef3e12ecd3a9cc', statusCodes: [[200, 299]] }] });
    },
  },
  IPv6: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      const g = c.virtualServerGroups[0]!;
      t.equal(g.ranges[0]!.addrs.length, 8, 'ae00::2-9 is eight addresses');
      t.equal(g.ranges[0]!.addrs[7]!.text, 'ae00::9');
      t.equal(c.virtualServers[0]!.family, 6);
      t.match(rs(c), { addr: { text: 'ae00::10' }, port: 25 });
      t.match(chk(c), { type: 'SMTP_CHECK', heloName: 'foo.bar.com', retry: 3, conn: { connectPort: 25, connectTimeout: 3 } });
    },
  },
  PING_CHECK: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      t.equal(c.virtualServers[0]!.protocol, 'udp');
      t.match(chk(c), { type: 'PING_CHECK', retry: 4, delayBeforeRetry: 1, conn: { connectTimeout: 5 } });
    },
  },
  SMTP_CHECK: {
    counts: { vs: 1, rs: 3, checkers: 9, instances: 0 },
    check(t, c) {
      t.match(chk(c), { retry: 2, delayBeforeRetry: 5, delayLoop: 60, conn: { connectTimeout: 30 } });
      // connect_timeout on the checker keeps it; each host { } adds one checker with the RS/VS timeout
      t.same(rs(c, 0, 1).checkers.map((k) => conn(k)?.connectIp.text), ['172.16.1.11', '172.16.1.11', '192.168.155.10', '64.233.167.99']);
      t.same(rs(c, 0, 1).checkers.map((k) => conn(k)?.connectTimeout), [10, 5, 5, 5]);
      t.match(chk(c, 0, 2, 2), { conn: { connectIp: { text: '192.168.155.11' }, bindto: { text: '192.168.155.2' }, connectPort: 25 } });
      t.match(chk(c, 0, 2, 3), { conn: { connectPort: 587, bindto: null } });
    },
  },
  SSL_GET: {
    counts: { vs: 2, rs: 2, checkers: 2, instances: 1 },
    check(t, c) {
      // AH authentication and initial MASTER without priority 255: keepalived starts it as BACKUP
      t.match(vi(c, 'VI_1'), { state: 'BACKUP', priority: 100, virtualRouterId: 51, authentication: { type: 'AH', password: '1111' } });
      t.equal(vi(c, 'VI_1').virtualIpaddresses.length, 3);
      t.same(c.virtualServers.map((v) => chk(c, c.virtualServers.indexOf(v)).type), ['SSL_GET', 'HTTP_GET']);
      t.same(as(chk(c), 'SSL_GET').urls.map((u) => u.path), ['/', '/mrtg/']);
    },
  },
  UDP_CHECK: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      t.match(chk(c), { type: 'UDP_CHECK', requireReply: false, payload: null, minReplyLength: 0, maxReplyLength: 255, retry: 3 });
    },
  },
  conditional_conf: {
    counts: { vs: 0, rs: 0, checkers: 0, instances: 1 },
    check(t, c) {
      const i = vi(c, 'VI_0');
      t.match(i, { priority: 170, version: 3, advertInt: 12, state: 'BACKUP', virtualRouterId: 1 });
      t.same(i.trackInterfaces, [{ name: 'eth3', weight: 0, reverse: false }, { name: 'eth2', weight: 20, reverse: false }]);
      t.same(i.trackScripts, [{ name: 'check_VI_0', weight: 0, reverse: false }]);
      t.match(c.vrrpScripts[0], { script: { argv: ['/etc/keepalived/scripts/check_high_VI_0.sh'] }, interval: 1, timeout: 10, rise: 3, fall: 3 });
      t.match(i.virtualIpaddresses[0], { addr: { text: '10.1.0.254' }, prefix: 32 });
    },
  },
  fwmark: {
    counts: { vs: 1, rs: 2, checkers: 2, instances: 0 },
    check(t, c) {
      t.match(c.virtualServers[0], { key: { kind: 'fwmark', fwmark: 1 }, family: 4, protocol: null, persistenceTimeout: 900 });
      t.match(rs(c, 0, 1), { addr: { text: '192.168.201.101' }, port: 0 });
      t.match(chk(c), { type: 'TCP_CHECK', conn: { connectPort: 80, connectTimeout: 3 } });
    },
  },
  inhibit: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      t.equal(rs(c).inhibitOnFailure, true);
      t.match(chk(c), { type: 'HTTP_GET', httpProtocol: '1.0', urls: [{ path: '/testurl3/test.jsp' }] });
    },
  },
  misc_check: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      t.match(chk(c), { type: 'MISC_CHECK', script: { argv: ['/usr/local/bin/script.sh'] }, timeout: 6, retry: 0, dynamic: false });
    },
  },
  misc_check_arg: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      t.same(as(chk(c), 'MISC_CHECK').script.argv, ['/usr/local/bin/script.sh', 'arg1', 'arg2']);
    },
  },
  quorum: {
    counts: { vs: 1, rs: 10, checkers: 10, instances: 0 },
    check(t, c) {
      t.match(c.virtualServers[0], { scheduler: 'wrr', quorum: 7, hysteresis: 2, alpha: true, omega: true, quorumUp: { argv: ['/usr/local/sbin/quorum-up.sh'] } });
      t.match(rs(c, 0, 9), { addr: { text: '10.0.0.10' }, port: 8080, weight: 1, alpha: true });
      t.match(chk(c, 0, 9), { alpha: true, conn: { connectPort: 80 } });
    },
  },
  sample: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 1 },
    check(t, c) {
      t.match(vi(c, 'VI_1'), { nopreempt: true, priority: 100, state: 'BACKUP', advertInt: 1, version: 2, mcastDstIp: { text: '224.0.0.18' } });
      t.match(c.virtualServers[0]!.sorryServer, { addr: { text: '192.168.200.200' }, port: 1358, forwarding: { method: 'masq' }, inhibit: false });
    },
  },
  status_code: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      const urls = as(chk(c), 'SSL_GET').urls;
      t.same(urls[0]!.statusCodes, [[200, 299], [400, 499], [503, 503], [505, 505]]);
      t.same(urls[1]!.statusCodes, [[200, 200]]);
      t.equal(urls[1]!.digest, '9b3a0c85a887a256d6939da88aabd8cd');
    },
  },
  track_interface: {
    counts: { vs: 0, rs: 0, checkers: 0, instances: 1 },
    check(t, c) {
      const i = vi(c, 'VI_1');
      t.equal(i.interface, 'eth0.1');
      t.same(i.trackInterfaces.map((x) => x.name), ['eth0', 'eth1']);
      t.same(i.virtualIpaddresses.map((v) => v.dev), [null, 'eth1', 'eth2']);
    },
  },
  virtual_server_group: {
    counts: { vs: 1, rs: 2, checkers: 2, instances: 0 },
    check(t, c) {
      const g = c.virtualServerGroups[0]!;
      t.same(g.ranges.map((r) => [r.first.text, r.last.text, r.port, r.addrs.length]), [
        ['10.0.0.1', '10.0.0.1', 8080, 1], ['10.0.0.2', '10.0.0.2', 80, 1], ['192.168.200.1', '192.168.200.1', 1358, 1], ['192.168.200.3', '192.168.200.10', 80, 8],
      ]);
      t.same(g.fwmarks.map((f) => f.fwmark), [1, 2]);
      t.match(c.virtualServers[0], { key: { kind: 'group', group: 'VSG_1' }, protocol: 'tcp', family: 4 });
    },
  },
  virtualhost: {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 0 },
    check(t, c) {
      t.same(as(chk(c), 'SSL_GET').urls.map((u) => u.virtualhost), ['www.firewall.loc', 'www.firewall.loc']);
    },
  },
  vrrp: {
    counts: { vs: 0, rs: 0, checkers: 0, instances: 4 },
    check(t, c) {
      t.match(vi(c, 'VI_1'), { state: 'MASTER', priority: 100, garpMasterDelay: 10, smtpAlert: true, authentication: { type: 'PASS', password: '1111' } });
      t.equal(vi(c, 'VI_1').virtualIpaddresses[3]!.label, 'eth0:1');
      t.match(vi(c, 'VI_2'), { state: 'BACKUP', priority: 50, authentication: null, garpMasterDelay: 5 });
    },
  },
  'vrrp.localcheck': {
    counts: { vs: 0, rs: 0, checkers: 0, instances: 9 },
    check(t, c) {
      t.equal(c.vrrpScripts.length, 5);
      t.match(c.vrrpScripts[0], { name: 'chk_sshd', script: { argv: ['killall', '-0', 'sshd'] }, interval: 2, weight: -4, fall: 2, rise: 2 });
      t.same(vi(c, 'VI_1').trackScripts.map((s) => [s.name, s.weight]), [['chk_sshd', -4], ['chk_haproxy', 2], ['chk_http_port', -2], ['chk_https_port', -2], ['chk_smtp_port', -2]]);
      t.same(vi(c, 'VI_1').trackInterfaces.map((s) => [s.name, s.weight]), [['eth1', 2], ['eth2', -2], ['eth3', 0]]);
      t.match(vi(c, 'VI_1').virtualIpaddresses[0], { prefix: 25 });
    },
  },
  'vrrp.lvs_syncd': {
    counts: { vs: 1, rs: 1, checkers: 1, instances: 3 },
    check(t, c) {
      t.match(c.global.lvsSyncDaemon, { interface: 'eth1', instance: 'VI_1', syncId: null });
      t.equal(c.vrrpSyncGroups.length, 0, 'VG1 lists members without a group block: keepalived drops it');
      t.equal(c.virtualServers[0]!.delayLoop, 20);
    },
  },
  'vrrp.routes': { counts: { vs: 0, rs: 0, checkers: 0, instances: 1 }, check: (t, c) => t.equal(vi(c, 'VI_1').virtualIpaddresses.length, 3) },
  'vrrp.rules': { counts: { vs: 0, rs: 0, checkers: 0, instances: 1 }, check: (t, c) => t.equal(vi(c, 'VI_1').state, 'MASTER') },
  'vrrp.static_ipaddress': { counts: { vs: 0, rs: 0, checkers: 0, instances: 1 }, check: (t, c) => t.equal(vi(c, 'VI_1').virtualIpaddresses[0]!.addr.text, '192.168.200.20') },
  'vrrp.scripts': {
    counts: { vs: 0, rs: 0, checkers: 0, instances: 3 },
    check(t, c) {
      t.match(c.vrrpSyncGroups[0], { name: 'G1', instances: ['VI_2', 'VI_3'], notify: { master: { argv: ['/usr/local/bin/vrrp.mast', 'arg1', 'arg2'] } } });
      t.same(vi(c, 'VI_1').notify.backup?.argv, ['/usr/local/bin/vrrp.sh', 'BACKUP', 'VI_1']);
      t.match(vi(c, 'VI_1'), { state: 'MASTER', syncGroup: null });
      t.match(vi(c, 'VI_2'), { state: 'BACKUP', syncGroup: 'G1', priority: 150 });
    },
  },
  'vrrp.sync': {
    counts: { vs: 0, rs: 0, checkers: 0, instances: 9 },
    check(t, c) {
      t.same(c.vrrpSyncGroups.map((g) => g.instances.length), [7, 2]);
      t.ok(c.vrrpInstances.every((i) => i.state === 'BACKUP'), 'G1 mixes MASTER and non-owners: all start BACKUP');
    },
  },
};

const present = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.startsWith('keepalived.conf.')) : [];

t.test('every installed sample has expectations', { skip: present.length ? false : `${DIR} is not installed` }, async (t) => {
  t.same(present.map((f) => f.slice('keepalived.conf.'.length)).sort(), Object.keys(SAMPLES).sort());
});

for (const [name, want] of Object.entries(SAMPLES)) {
  const path = `${DIR}/keepalived.conf.${name}`;
  t.test(name, { skip: existsSync(path) ? false : `${path} is not installed` }, async (t) => {
    // conditional_conf is meant for `keepalived -i high`
    const parsed = parseConfigFile(path, { ...nodeConfigFs(), configId: 'high' });
    const built = buildConfig(parsed.nodes, { hostname: 'lb1' });
    const errors = [...parsed.diagnostics, ...built.diagnostics].filter((d) => d.severity === 'error');
    t.same(errors.map(formatDiagnostic), [], 'no errors');
    const c = built.config;
    t.same({
      vs: c.virtualServers.length,
      rs: c.virtualServers.reduce((n, v) => n + v.realServers.length, 0),
      checkers: c.virtualServers.reduce((n, v) => n + v.realServers.reduce((m, r) => m + r.checkers.length, 0), 0),
      instances: c.vrrpInstances.length,
    }, want.counts, 'counts');
    want.check(t, c);
  });
}
