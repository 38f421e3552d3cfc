import t from 'tap';
import { build, vi } from './fixtures/build.js';

const one = (text: string, env = {}) => {
  const r = build(text, env);
  return { ...r, i: r.config.vrrpInstances[0]! };
};

t.test('vrrp_instance defaults (alloc_vrrp, vrrp_complete_instance)', async (t) => {
  const { i, diagnostics } = one(vi(''));
  t.same(diagnostics, []);
  t.match(i, {
    name: 'VI_1', state: 'BACKUP', interface: 'eth0', virtualRouterId: 51, priority: 100, advertInt: 1, version: 2, family: 4,
    accept: true, strict: false, nopreempt: false, preemptDelay: 0, unicast: false, unicastTtl: 255, sourceIp: null,
    mcastDstIp: { text: '224.0.0.18' }, authentication: null, garpMasterDelay: 5, garpMasterRepeat: 5, garpLowerPrioRepeat: 5,
    downTimerAdverts: 3, lowerPrioNoAdvert: false, smtpAlert: false, syncGroup: null,
    notify: { master: null, backup: null, fault: null, stop: null, any: null },
  });
  t.same(i.virtualIpaddresses.map((v) => [v.addr.text, v.prefix, v.dev]), [['10.0.0.100', 32, null]]);
});

t.test('state and priority imply each other (vrrp.c:2900-2915)', async (t) => {
  t.match(one(vi(' state MASTER')).i, { state: 'MASTER', priority: 255 });
  t.match(one(vi(' priority 255')).i, { state: 'MASTER', priority: 255 });
  t.match(one(vi(' state MASTER\n priority 150')).i, { state: 'MASTER', priority: 150 });
  t.match(one(vi(' state MASTER\n state BACKUP')).i, { state: 'MASTER' }, 'a later BACKUP does not undo MASTER');
});

t.test('advert_int is rounded to what the version can carry', async (t) => {
  const a = one(vi(' advert_int 1.5'));
  t.equal(a.i.advertInt, 2);
  t.match(a.text('warning'), [/advert_int 1.5 is not valid for VRRPv2 .* using 2/]);
  t.equal(one(vi(' version 3\n advert_int 0.015')).i.advertInt, 0.02);
  t.equal(one(vi(' version 3\n advert_int 0.25')).i.advertInt, 0.25);
  t.equal(one(vi(' version 3\n advert_int 0.035')).i.advertInt, 0.04, 'half a step rounds up, in integer µs');
  t.equal(one(vi(' advert_int 0.2')).i.advertInt, 1, 'at least one second for v2');
  t.equal(one(vi(' version 3\n advert_int 50')).i.advertInt, 40.95);
  t.same(one(vi(' version 3\n advert_int 0.25')).warnings, []);
});

t.test('the family follows the addresses; IPv6 means VRRPv3', async (t) => {
  const six = one('vrrp_instance V6 {\n interface eth0\n virtual_router_id 5\n virtual_ipaddress {\n fe80::1\n 2001:db8::10/64\n }\n}');
  t.match(six.i, { family: 6, version: 3, mcastDstIp: { text: 'ff02::12' } });
  const mixed = build(vi('').replace(' 10.0.0.100\n', ' 10.0.0.100\n  2001:db8::1\n'));
  t.match(mixed.text('error'), [/^6 LVSD_E_CONFIG_VALUE vrrp_instance VI_1: virtual_ipaddress 2001:db8::1 is IPv6 but the instance is IPv4/]);
  t.equal(mixed.config.vrrpInstances[0]!.virtualIpaddresses.length, 1);
  const excluded = one(vi(' virtual_ipaddress_excluded {\n  2001:db8::1\n  10.1.1.1/16\n }'));
  t.same(excluded.errors, [], 'excluded addresses may mix families');
  t.equal(excluded.i.virtualIpaddressesExcluded.length, 2);
});

t.test('unicast', async (t) => {
  const u = one(vi(' unicast_src_ip 10.0.0.1\n unicast_peer {\n  10.0.0.2\n  10.0.0.3 min_ttl 250 max_ttl 255\n }\n unicast_ttl 8'));
  t.same(u.diagnostics, []);
  t.match(u.i, { unicast: true, mcastDstIp: null, sourceIp: { text: '10.0.0.1' }, unicastTtl: 8, checkUnicastSrc: true });
  t.same(u.i.unicastPeers.map((p) => [p.addr.text, p.minTtl, p.maxTtl]), [['10.0.0.2', 0, 255], ['10.0.0.3', 250, 255]]);
  const noPeers = one(vi(' unicast_src_ip 10.0.0.1'));
  t.match(noPeers.i, { unicast: false, mcastDstIp: { text: '224.0.0.18' } });
  t.match(noPeers.text('warning'), [/unicast keyword but no unicast_peer; it uses multicast/]);
  const noIf = one('vrrp_instance U {\n virtual_router_id 7\n unicast_src_ip 10.0.0.1\n unicast_peer {\n 10.0.0.2\n }\n virtual_ipaddress {\n 10.0.0.9\n }\n}');
  t.same(noIf.errors, []);
  t.equal(noIf.i.interface, null);
  const bad = build(vi(' unicast_peer {\n  10.0.0.2 min_ttl 300\n }'));
  t.match(bad.text('error'), [/^8 LVSD_E_CONFIG_VALUE vrrp_instance VI_1: unicast_peer: has "min_ttl 300"/]);
});

t.test('strict mode (vrrp_strict / strict_mode)', async (t) => {
  const s = one(`global_defs {\n vrrp_strict\n}\n${vi(' state MASTER\n priority 100\n authentication {\n  auth_type PASS\n  auth_pass secret\n }\n garp_lower_prio_repeat 3')}`);
  t.same(s.errors, []);
  t.match(s.i, { strict: true, state: 'BACKUP', authentication: null, accept: false, lowerPrioNoAdvert: true, garpLowerPrioRepeat: 0, higherPrioSendAdvert: false });
  t.equal(s.warnings.length, 3, 'state, authentication and the GARP repeat are each reported');
  const u = build(vi(' strict_mode\n unicast_src_ip 10.0.0.1\n unicast_peer {\n  10.0.0.2\n }'));
  t.match(u.text('error'), [/unicast peers are not allowed in strict mode/]);
  const empty = build('vrrp_instance S {\n interface eth0\n virtual_router_id 3\n strict_mode yes\n}');
  t.match(empty.text('error'), [/^1 LVSD_E_CONFIG_MISSING vrrp_instance S: needs at least one virtual_ipaddress/]);
  t.match(build('vrrp_instance S {\n interface eth0\n virtual_router_id 3\n}').text('warning'), [/has no virtual_ipaddress/], 'a warning outside strict mode and v3');
});

t.test('preemption rules', async (t) => {
  t.match(one(vi(' nopreempt\n preempt_delay 30')).i, { nopreempt: true, preemptDelay: 0 });
  t.match(one(vi(' preempt_delay 2.5')).i, { nopreempt: false, preemptDelay: 2.5 });
  const master = one(vi(' state MASTER\n priority 200\n nopreempt'));
  t.match(master.i, { nopreempt: false });
  t.match(master.text('warning'), [/nopreempt does not work with initial state MASTER/]);
  t.match(one(vi(' nopreempt\n preempt')).i, { nopreempt: false }, 'preempt undoes nopreempt');
});

t.test('authentication (removed by RFC 3768; kept by keepalived for v2)', async (t) => {
  const a = one(vi(' authentication {\n  auth_type PASS\n  auth_pass longpassword\n }'));
  t.same(a.i.authentication, { type: 'PASS', password: 'longpass' });
  t.match(a.text('warning'), [/auth_pass is longer than 8 characters and is truncated/]);
  t.match(one(vi(' version 3\n authentication {\n  auth_type PASS\n  auth_pass x\n }')).i, { authentication: null });
});

t.test('tracking: weights come from the tracked object unless given', async (t) => {
  const r = one(`vrrp_script chk {\n script "/bin/true"\n weight -10\n}
track_file tf {\n file /run/tf\n}
vrrp_track_process tp {\n process haproxy -f /etc/haproxy.cfg\n weight 4 reverse\n}
${vi(` track_interface {\n  eth1\n  eth2 weight -20 reverse\n }\n track_script {\n  chk\n }\n track_file {\n  tf weight 3\n }\n track_process {\n  tp\n }`)}`);
  t.same(r.errors, []);
  t.same(r.i.trackInterfaces, [{ name: 'eth1', weight: 0, reverse: false }, { name: 'eth2', weight: -20, reverse: true }]);
  t.same(r.i.trackScripts, [{ name: 'chk', weight: -10, reverse: false }]);
  t.same(r.i.trackFiles, [{ name: 'tf', weight: 3, reverse: false }]);
  t.same(r.i.trackProcesses, [{ name: 'tp', weight: 4, reverse: true }]);
  t.match(r.config.trackProcesses[0], { process: 'haproxy', params: ['-f', '/etc/haproxy.cfg'], paramMatch: 'exact', fullCommand: true, quorum: 1, quorumMax: null });
  const dup = build(vi(' track_interface {\n  eth1\n  eth1 weight 2\n }'));
  t.match(dup.text('warning'), [/eth1 is already tracked/]);
  const range = build(vi(' track_interface {\n  eth1 weight 254\n }'));
  t.match(range.text('error'), [/track_interface: weight for eth1 must be a whole number from -253 to 253/]);
});

t.test('an address owner and sync group members do not float their priority', async (t) => {
  const owner = one(`vrrp_script chk {\n script /bin/true\n weight 5\n}\n${vi(' priority 255\n track_interface {\n  eth1 weight 10\n  eth2\n }\n track_script {\n  chk\n }')}`);
  t.same(owner.i.trackInterfaces.map((x) => x.name), ['eth2'], 'a weighted interface is not tracked by the owner');
  t.same(owner.i.trackScripts, []);
  const text = (extra: string) => `vrrp_sync_group G {\n group {\n  VI_1 VI_2\n }\n${extra}}\n${vi(' track_interface {\n  eth1 weight 10\n }')}${vi('', 'VI_2').replace('virtual_router_id 51', 'virtual_router_id 52')}`;
  t.same(one(text('')).i.trackInterfaces, [{ name: 'eth1', weight: 0, reverse: false }], 'weights forced to 0 in a sync group');
  t.same(one(text(' sync_group_tracking_weight\n')).i.trackInterfaces, [{ name: 'eth1', weight: 10, reverse: false }]);
});

t.test('sync groups', async (t) => {
  const r = build(`vrrp_sync_group G1 {\n group {\n  VI_1\n  VI_2\n }\n notify "/bin/notify g1"\n smtp_alert\n}
vrrp_sync_group G2 {\n group {\n  VI_2\n }\n}
${vi(' state MASTER\n priority 255')}${vi(' state MASTER\n priority 200', 'VI_2').replace('virtual_router_id 51', 'virtual_router_id 52')}`);
  t.match(r.text('error'), [/^11 LVSD_E_CONFIG_DUPLICATE vrrp_sync_group G2: member VI_2 is already in sync group G1/]);
  t.match(r.config.vrrpSyncGroups, [{ name: 'G1', instances: ['VI_1', 'VI_2'], smtpAlert: true, notify: { any: { argv: ['/bin/notify', 'g1'] } } }]);
  t.same(r.config.vrrpInstances.map((i) => [i.name, i.state, i.syncGroup]), [['VI_1', 'BACKUP', 'G1'], ['VI_2', 'BACKUP', 'G1']],
    'one member is not the address owner, so all start as BACKUP');
  const owners = build(`vrrp_sync_group G {\n group {\n  VI_1\n  VI_2\n }\n}\n${vi(' priority 255')}${vi(' priority 255', 'VI_2').replace('virtual_router_id 51', 'virtual_router_id 52')}`);
  t.same(owners.config.vrrpInstances.map((i) => i.state), ['MASTER', 'MASTER'], 'all owners: MASTER stays');
});

t.test('VRID conflicts (check_vrid_conflicts)', async (t) => {
  const two = (a: string, b: string) => build(vi(a) + vi(b, 'VI_2'));
  t.same(two('', ' interface eth1').errors, [], 'another interface');
  t.same(two('', ' mcast_dst_ip 224.0.0.20').errors, [], 'another multicast group');
  t.same(build(vi('') + vi('', 'V6').replace('10.0.0.100', 'fe80::1')).errors, [], 'another family');
  t.match(two('', '').text('error'), [/vrrp_instance VI_2 uses VRID 51 \(IPv4\) on eth0 like vrrp_instance VI_1/]);
  const uni = ' unicast_src_ip 10.0.0.1\n unicast_peer {\n  10.0.0.2\n }';
  t.same(two(uni, '').errors, [], 'unicast and multicast are separate VRID spaces');
  t.equal(two(uni, uni).errors.length, 1, 'same peers, same source');
});

t.test('scripts and notify scripts', async (t) => {
  const r = build(`vrrp_script chk {\n script "/usr/bin/curl -sf 'http://localhost/health check'"\n user nobody nogroup\n interval 3\n rise 2\n}
${vi(' notify_master /bin/m.sh\n notify_master /bin/other.sh\n notify_deleted\n track_script {\n  chk weight 7 reverse\n }')}`);
  t.match(r.config.vrrpScripts[0], { interval: 3, timeout: 3, weight: 0, rise: 2, fall: 1, script: { argv: ['/usr/bin/curl', '-sf', 'http://localhost/health check'], user: 'nobody', group: 'nogroup' } });
  const i = r.config.vrrpInstances[0]!;
  t.same(i.notify.master?.argv, ['/bin/m.sh'], 'the first notify_master is kept');
  t.match(r.text('warning'), [/notify_master is already set; this one is ignored/]);
  t.match(i, { notifyDeleted: true, notifyDeletedScript: null, trackScripts: [{ name: 'chk', weight: 7, reverse: true }] });
  const missing = build('vrrp_script chk {\n interval 2\n}\n');
  t.match(missing.text('error'), [/^1 LVSD_E_CONFIG_MISSING vrrp_script chk has no script/]);
});

t.test('virtual_ipaddress options and environment checks', async (t) => {
  const env = { interfaceExists: (n: string) => n === 'eth0' };
  const r = build(vi(' virtual_ipaddress {\n  10.0.0.7/24 dev eth9 label eth9:1\n }\n track_interface {\n  eth3\n }'), env);
  t.same(r.errors, [], 'missing interfaces are facts about this host, not configuration errors');
  t.same(r.warnings.map((w) => [w.loc.line, w.code]), [[8, 'LVSD_W_CONFIG_ENVIRONMENT'], [11, 'LVSD_W_CONFIG_ENVIRONMENT']]);
  t.same(build(vi(' track_interface {\n  eth3\n }')).warnings, [], 'without interfaceExists nothing is checked');
  t.match(r.config.vrrpInstances[0]!.virtualIpaddresses[1], { dev: 'eth9', label: 'eth9:1', prefix: 24 });
});

t.test('ignored VRRP features and the deprecated sync daemon keyword', async (t) => {
  const r = build(vi(' use_vmac vrrp.51\n vmac_xmit_base\n virtual_routes {\n  10.1.0.0/16 via 10.0.0.254\n }\n lvs_sync_daemon_interface eth1'));
  t.same(r.errors, []);
  t.same(r.warnings.map((w) => w.code), ['LVSD_W_CONFIG_IGNORED', 'LVSD_W_CONFIG_IGNORED', 'LVSD_W_CONFIG_IGNORED', 'LVSD_W_CONFIG_DEPRECATED']);
  t.match(r.config.global.lvsSyncDaemon, { interface: 'eth1', instance: 'VI_1' });
});

t.test('a rejected tracked object is reported once, not again where it is used', async (t) => {
  const r = build(`vrrp_script chk {\n interval 2\n}\n${vi(' track_script {\n  chk\n }')}`);
  t.same(r.text('error'), ['1 LVSD_E_CONFIG_MISSING vrrp_script chk has no script']);
  t.same(r.config.vrrpInstances[0]!.trackScripts, []);
});
