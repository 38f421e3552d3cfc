import t from 'tap';
import { build } from './fixtures/build.js';

t.test('global_defs defaults (global_data.c)', async (t) => {
  const { config, diagnostics } = build('');
  t.same(diagnostics, []);
  const g = config.global;
  t.match(g, {
    routerId: null, notificationEmailFrom: null, smtpServer: null, smtpConnectTimeout: 30, smtpAlert: null,
    defaultInterface: 'eth0', lvsSyncDaemon: null, lvsTimeouts: { tcp: null, tcpFin: null, udp: null },
    lvsFlush: false, lvsFlushOnStop: 'none', enableScriptSecurity: false, startupScriptTimeout: 10,
  });
  t.same(g.vrrp, {
    version: 2, mcastGroup4: { af: 4, text: '224.0.0.18' }, mcastGroup6: { af: 6, text: 'ff02::12' },
    garpMasterDelay: 5, garpMasterRepeat: 5, garpMasterRefresh: 0, garpMasterRefreshRepeat: 1,
    garpLowerPrioDelay: 5, garpLowerPrioRepeat: 5, garpInterval: 0, gnaInterval: 0, downTimerAdverts: 3,
    lowerPrioNoAdvert: false, higherPrioSendAdvert: false, strict: false, checkUnicastSrc: false,
    skipCheckAdvAddr: false, notifyPriorityChanges: false, startupDelay: 0,
  });
  t.same(config.virtualServers, []);
  t.same(config.vrrpInstances, []);
  t.equal(config.ssl, null);
});

t.test('the host name fills router_id and the mail defaults', async (t) => {
  const g = build('global_defs {\n smtp_server mail.example.com 587\n}\n', { hostname: 'lb1' }).config.global;
  t.match(g, { routerId: 'lb1', notificationEmailFrom: 'keepalived@lb1', smtpHeloName: 'lb1', smtpServer: { host: 'mail.example.com', port: 587 } });
});

t.test('global values', async (t) => {
  const r = build(`global_defs {
   notification_email {
     ops@example.com noc@example.com
     oncall@example.com
   }
   router_id LB_A
   vrrp_version 3
   vrrp_garp_master_delay 1
   vrrp_garp_interval 0.001
   vrrp_mcast_group4 224.0.0.19
   vrrp_strict
   lvs_timeouts tcp 900 udp 300
   lvs_flush
   lvs_flush_on_stop VS
   script_user keepalived_script keepalived
   enable_script_security
   smtp_alert_checker off
}`);
  t.same(r.diagnostics, []);
  const g = r.config.global;
  t.same(g.notificationEmail, ['ops@example.com', 'noc@example.com', 'oncall@example.com']);
  t.match(g, { routerId: 'LB_A', lvsFlush: true, lvsFlushOnStop: 'vs', enableScriptSecurity: true, smtpAlertChecker: false });
  t.match(g.vrrp, { version: 3, garpMasterDelay: 1, garpLowerPrioDelay: 1, garpInterval: 0.001, strict: true, mcastGroup4: { text: '224.0.0.19' } });
  t.same(g.lvsTimeouts, { tcp: 900, tcpFin: null, udp: 300 });
  t.same(g.scriptUser, { user: 'keepalived_script', group: 'keepalived' });
});

t.test('vrrp_min_garp changes only what is not set', async (t) => {
  const g = build('global_defs {\n vrrp_min_garp\n vrrp_garp_master_repeat 3\n}').config.global.vrrp;
  t.match(g, { garpMasterRepeat: 3, garpMasterDelay: 0, garpMasterRefreshRepeat: 0, garpLowerPrioRepeat: 3 });
});

t.test('lvs_sync_daemon, in the current and the old form', async (t) => {
  const base = 'vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 9\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n';
  const a = build(`global_defs {\n lvs_sync_daemon eth1 inst VI_1 id 5 maxlen 1400 port 8849 ttl 2 group 239.0.0.81\n}\n${base}`);
  t.same(a.errors, []);
  t.same(a.config.global.lvsSyncDaemon, { interface: 'eth1', instance: 'VI_1', syncId: 5, maxLen: 1400, port: 8849, ttl: 2, group: { af: 4, text: '239.0.0.81' } });
  const b = build(`global_defs {\n lvs_sync_daemon eth1 VI_1 7\n}\n${base}`);
  t.match(b.config.global.lvsSyncDaemon, { interface: 'eth1', instance: 'VI_1', syncId: 7 });
  const c = build('global_defs {\n lvs_sync_daemon eth1 inst VI_X\n}\n');
  t.match(c.text('error'), [/^2 LVSD_E_CONFIG_REFERENCE lvs_sync_daemon names vrrp_instance VI_X, which is not defined/]);
  const d = build('global_defs {\n lvs_sync_daemon eth1 ttl 0\n}\n');
  t.match(d.text('error'), [/^2 LVSD_E_CONFIG_VALUE global_defs: lvs_sync_daemon ttl must be a whole number from 1 to 255/]);
  const e = build('global_defs {\n lvs_sync_daemon eth9\n}\n', { interfaceExists: (n) => n === 'eth0' });
  t.same(e.errors, []);
  t.match(e.text('warning'), [/^2 LVSD_W_CONFIG_ENVIRONMENT interface eth9 \(lvs_sync_daemon\) does not exist on this host/]);
});

t.test('notify FIFOs and their scripts', async (t) => {
  const r = build(`global_defs {
 notify_fifo /run/keepalived.fifo root
 notify_fifo_script "/usr/local/bin/fifo-reader --verbose"
 vrrp_notify_fifo_script /usr/local/bin/vrrp-reader
}`);
  t.same(r.diagnostics, []);
  t.same(r.config.global.notifyFifo, { path: '/run/keepalived.fifo', user: 'root', group: null, script: { argv: ['/usr/local/bin/fifo-reader', '--verbose'], user: null, group: null } });
  t.match(r.config.global.vrrpNotifyFifo, { path: null, script: { argv: ['/usr/local/bin/vrrp-reader'] } }, 'a script alone gets a temporary FIFO');
  t.equal(r.config.global.lvsNotifyFifo, null);
});

t.test('ignored features: one warning per keyword', async (t) => {
  const r = build(`global_defs {
 enable_snmp_vrrp
 enable_snmp_checker
 enable_snmp_vrrp
 enable_dbus
 vrrp_iptables
}
net_namespace blue
static_routes {
 10.9.0.0/16 via 10.0.0.254
 10.8.0.0/16 via 10.0.0.254
}
static_routes {
 10.7.0.0/16 via 10.0.0.254
}`);
  t.same(r.errors, []);
  t.same(r.warnings.map((w) => `${w.loc.line} ${w.code} ${w.message.split(':')[0]}`), [
    '2 LVSD_W_CONFIG_IGNORED enable_snmp_vrrp is accepted but ignored',
    '3 LVSD_W_CONFIG_IGNORED enable_snmp_checker is accepted but ignored',
    '5 LVSD_W_CONFIG_IGNORED enable_dbus is accepted but ignored',
    '6 LVSD_W_CONFIG_IGNORED vrrp_iptables is accepted but ignored',
    '8 LVSD_W_CONFIG_IGNORED net_namespace is accepted but ignored',
    '9 LVSD_W_CONFIG_IGNORED static_routes is accepted but ignored',
  ]);
  t.match(r.warnings[0]!.message, /no SNMP agent/);
});

t.test('unknown and deprecated keywords are warnings, not errors', async (t) => {
  const r = build('global_defs {\n router_idd lb\n lvs_flush_onstop\n}\nfoo_bar 1\n');
  t.same(r.errors, []);
  t.same(r.text('warning'), [
    '2 LVSD_W_CONFIG_UNKNOWN_KEYWORD global_defs: unknown keyword router_idd',
    '3 LVSD_W_CONFIG_DEPRECATED global_defs: lvs_flush_onstop is deprecated; use lvs_flush_on_stop',
    '5 LVSD_W_CONFIG_UNKNOWN_KEYWORD unknown keyword foo_bar',
  ]);
  t.equal(r.config.global.lvsFlushOnStop, 'full');
});

t.test('global values keepalived rejects', async (t) => {
  const r = build(`global_defs {
 vrrp_version 1
 vrrp_mcast_group6 ff02::12:1:2:3:4:5:6:7
 smtp_server bad_host!name
 lvs_timeouts tcp
 lvs_timeouts tcp 10 fin 3
 vrrp_garp_master_delay -1
 vrrp_down_timer_adverts 101
}`);
  t.same(r.errors.map((e) => e.loc.line), [2, 3, 4, 5, 6, 7, 8]);
  t.match(r.errors[4]!.message, /lvs_timeouts has unknown option "fin"/);
});

t.test('the SSL block for SSL_GET', async (t) => {
  const r = build('SSL {\n password secret\n ca /etc/ssl/ca.pem\n certificate /etc/ssl/c.pem\n key /etc/ssl/k.pem\n}\n');
  t.same(r.config.ssl, { password: 'secret', ca: '/etc/ssl/ca.pem', certificate: '/etc/ssl/c.pem', key: '/etc/ssl/k.pem' });
});

t.test('lvs_sync_daemon group must be multicast', async (t) => {
  t.match(build('global_defs {\n lvs_sync_daemon eth1 group 10.1.1.1\n}').text('error'), [/^2 .*lvs_sync_daemon group must be an IPv4 or IPv6 multicast address, not "10.1.1.1"/]);
  t.match(build('global_defs {\n lvs_sync_daemon eth1 group ff02::81\n}').config.global.lvsSyncDaemon, { group: { af: 6, text: 'ff02::81' } });
});
