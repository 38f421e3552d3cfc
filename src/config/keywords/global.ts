/** global_defs keywords (keepalived core/global_parser.c init_global_keywords). */
import { parseIp, type IpAddr } from '../../model/address.js';
import type { LvsSyncDaemon, LvsTimeouts, NotifyFifo, ScriptSpec, SmtpServer, SourceLoc } from '../../model/config.js';
import type { ConfigNode } from '../tree.js';
import { garpKeywords } from './vrrp-common.js';
import type { Ctx } from './context.js';
import { keywordsFor, type Table } from './table.js';
import { bad, flag, ip, ok, oneOf, parseInteger, script, seconds, uint, word, MAX_WHOLE_SECONDS, type ValueParser } from './values.js';
import type { GarpSettings } from '../../model/config-global.js';

export interface GlobalDraft extends Partial<GarpSettings> {
  routerId?: string;
  notificationEmail: string[];
  notificationEmailFrom?: string;
  smtpServer?: SmtpServer;
  smtpHeloName?: string;
  smtpConnectTimeout?: number;
  smtpAlert?: boolean;
  smtpAlertVrrp?: boolean;
  smtpAlertChecker?: boolean;
  noEmailFaults?: boolean;
  checkerLogAllFailures?: boolean;
  noCheckerEmails?: boolean;
  rsInitNotifies?: boolean;
  defaultInterface?: string;
  dynamicInterfaces?: boolean;
  vrrpVersion?: 2 | 3;
  mcastGroup4?: IpAddr;
  mcastGroup6?: IpAddr;
  garpInterval?: number;
  gnaInterval?: number;
  minGarp?: boolean;
  downTimerAdverts?: number;
  lowerPrioNoAdvert?: boolean;
  higherPrioSendAdvert?: boolean;
  strict?: boolean;
  checkUnicastSrc?: boolean;
  skipCheckAdvAddr?: boolean;
  notifyPriorityChanges?: boolean;
  startupDelay?: number;
  lvsSyncDaemon?: { value: LvsSyncDaemon; loc: SourceLoc };
  lvsTimeouts?: LvsTimeouts;
  lvsFlush?: boolean;
  lvsFlushOnStop?: 'full' | 'vs';
  scriptUser?: { user: string; group: string | null };
  enableScriptSecurity?: boolean;
  notifyFifo?: NotifyFifo;
  vrrpNotifyFifo?: NotifyFifo;
  lvsNotifyFifo?: NotifyFifo;
  fifoWriteVrrpStatesOnReload?: boolean;
  startupScript?: ScriptSpec;
  startupScriptTimeout?: number;
  shutdownScript?: ScriptSpec;
  shutdownScriptTimeout?: number;
}

export const newGlobalDraft = (): GlobalDraft => ({ notificationEmail: [] });

const k = keywordsFor<GlobalDraft>();

/** LVS_MAX_TIMEOUT (global_data.h): 31 days. */
const LVS_MAX_TIMEOUT = 86400 * 31;

/** `HOST [PORT]`: an address or a DNS name (smtpserver_handler resolves names). */
const smtpServer: ValueParser<SmtpServer> = (args) => {
  const host = args[0];
  if (host === undefined) return bad('needs an address or host name');
  if (!parseIp(host) && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) return bad(`must be an address or host name, not "${host}"`);
  const port = args[1] === undefined ? 25 : parseInteger(args[1], false);
  return port !== null && port >= 1 && port <= 65535 ? ok({ host, port }) : bad(`port must be from 1 to 65535, not "${args[1]}"`);
};

const isMulticast = (a: IpAddr) => (a.af === 4 ? /^2(2[4-9]|3\d)\./.test(a.text) : a.text.startsWith('ff'));

function multicast(af?: 4 | 6): ValueParser<IpAddr> {
  return (args) => {
    const a = ip(args);
    if (!a.ok) return a;
    return (af === undefined || a.value.af === af) && isMulticast(a.value) ? a : bad(`must be an IPv${af ?? '4 or IPv6'} multicast address, not "${args[0]}"`);
  };
}

/** One `NAME VALUE` option: parse VALUE, store it; returns what was wrong, or null. */
type Option<D> = (d: D, value: readonly string[]) => string | null;
const option = <D, V>(parse: ValueParser<V>, set: (d: D, v: V) => void): Option<D> => (d, value) => {
  const r = parse(value);
  if (!r.ok) return r.error;
  set(d, r.value);
  return null;
};

/** Reads `NAME VALUE NAME VALUE …` lists (lvs_timeouts, lvs_sync_daemon) into d. */
function options<D>(args: readonly string[], table: Readonly<Record<string, Option<D>>>, d: D): string | null {
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!;
    const set = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!set) return `has unknown option "${name}"`;
    const err = set(d, args.slice(i + 1, i + 2));
    if (err) return `${name} ${err}`;
  }
  return null;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** lvs_timeouts [tcp S] [tcpfin S] [udp S] (global_parser.c lvs_timeouts). */
const TIMEOUT_OPTIONS: Readonly<Record<string, Option<Mutable<LvsTimeouts>>>> = {
  tcp: option(uint(0, LVS_MAX_TIMEOUT), (d, v) => { d.tcp = v; }),
  tcpfin: option(uint(0, LVS_MAX_TIMEOUT), (d, v) => { d.tcpFin = v; }),
  udp: option(uint(0, LVS_MAX_TIMEOUT), (d, v) => { d.udp = v; }),
};

const lvsTimeouts: ValueParser<LvsTimeouts> = (args) => {
  if (args.length < 2) return bad('needs at least one of tcp, tcpfin, udp with a number of seconds');
  const t: Mutable<LvsTimeouts> = { tcp: null, tcpFin: null, udp: null };
  const err = options(args, TIMEOUT_OPTIONS, t);
  return err ? bad(err) : ok(t);
};

/** lvs_sync_daemon options (global_parser.c lvs_syncd_handler); maxlen leaves room for IP and UDP headers. */
const SYNC_OPTIONS: Readonly<Record<string, Option<Mutable<LvsSyncDaemon>>>> = {
  inst: option(word, (d, v) => { d.instance = v; }),
  id: option(uint(0, 255), (d, v) => { d.syncId = v; }),
  maxlen: option(uint(1, 65535 - 20 - 8), (d, v) => { d.maxLen = v; }),
  port: option(uint(1, 65535), (d, v) => { d.port = v; }),
  ttl: option(uint(1, 255), (d, v) => { d.ttl = v; }),
  group: option(multicast(), (d, v) => { d.group = v; }),
};

/** lvs_sync_daemon IF [inst VI] [id N] …; `IF VI [ID]` is the old form keepalived still reads. */
const lvsSyncDaemon: ValueParser<LvsSyncDaemon> = (args) => {
  const [ifname, ...rest] = args;
  if (ifname === undefined) return bad('needs an interface');
  const d: Mutable<LvsSyncDaemon> = { interface: ifname, instance: null, syncId: null, maxLen: null, port: null, ttl: null, group: null };
  let opts = rest;
  if (rest[0] !== undefined && !Object.hasOwn(SYNC_OPTIONS, rest[0])) {
    const old = options(['inst', ...rest.slice(0, 1), ...(rest[1] !== undefined ? ['id', rest[1]] : [])], SYNC_OPTIONS, d);
    if (old) return bad(old);
    opts = rest.slice(2);
  }
  const err = options(opts, SYNC_OPTIONS, d);
  return err ? bad(err) : ok(d);
};

type FifoKey = 'notifyFifo' | 'vrrpNotifyFifo' | 'lvsNotifyFifo';
const NO_FIFO: NotifyFifo = { path: null, user: null, group: null, script: null };

/** `PATH [USER [GROUP]]` (global_parser.c notify_fifo). */
function fifoPath(key: FifoKey) {
  return k.custom((d: GlobalDraft, node: ConfigNode, ctx: Ctx) => {
    const path = node.args[0];
    if (path === undefined) return ctx.invalid(node, 'needs a FIFO path');
    d[key] = { ...(d[key] ?? NO_FIFO), path, user: node.args[1] ?? null, group: node.args[2] ?? null };
  });
}

/** The _script companion: a script reading the same FIFO (notify_fifo_script). */
function fifoScript(key: FifoKey) {
  return k.custom((d: GlobalDraft, node: ConfigNode, ctx: Ctx) => {
    const r = script(node.args);
    if (!r.ok) return ctx.invalid(node, r.error);
    d[key] = { ...(d[key] ?? NO_FIFO), script: r.value };
  }, 'none', true);
}

/** lvs_flush_on_stop [VS] (global_parser.c lvs_flush_on_stop_handler). */
const LVS_FLUSH_ON_STOP = k.custom((d, node, ctx) => {
  if (node.args[0] === undefined) d.lvsFlushOnStop = 'full';
  else if (node.args[0] === 'VS') d.lvsFlushOnStop = 'vs';
  else ctx.invalid(node, `takes nothing or VS, not "${node.args[0]}"`);
});

const SNMP = 'lvsd has no SNMP agent (use the Prometheus /metrics endpoint)';
const DBUS = 'lvsd has no D-Bus interface';
const FIREWALL = 'lvsd does not install iptables/nftables rules (no_accept is not enforced by a firewall)';
const PROCESS = 'lvsd runs as one Node.js process; keepalived process tuning does not apply';
const NETLINK = 'lvsd sizes its own netlink buffers';
const VMAC = 'lvsd does not create VMAC/ipvlan interfaces';
const RELOAD = 'lvsd validates the configuration on reload itself';

export const GLOBAL_KEYWORDS: Table<GlobalDraft> = {
  router_id: k.value('routerId', word),
  notification_email: k.words((d, w) => d.notificationEmail.push(...w)),
  notification_email_from: k.value('notificationEmailFrom', word),
  smtp_server: k.value('smtpServer', smtpServer),
  smtp_helo_name: k.value('smtpHeloName', word),
  smtp_connect_timeout: k.value('smtpConnectTimeout', uint(1, MAX_WHOLE_SECONDS)),
  smtp_alert: k.value('smtpAlert', flag),
  smtp_alert_vrrp: k.value('smtpAlertVrrp', flag),
  smtp_alert_checker: k.value('smtpAlertChecker', flag),
  no_email_faults: k.value('noEmailFaults', flag),
  checker_log_all_failures: k.value('checkerLogAllFailures', flag),
  no_checker_emails: k.value('noCheckerEmails', flag),
  rs_init_notifies: k.value('rsInitNotifies', flag),
  startup_script: k.value('startupScript', script),
  startup_script_timeout: k.value('startupScriptTimeout', uint(1, 1000)),
  shutdown_script: k.value('shutdownScript', script),
  shutdown_script_timeout: k.value('shutdownScriptTimeout', uint(1, 1000)),
  default_interface: k.value('defaultInterface', word),
  dynamic_interfaces: k.custom((d) => { d.dynamicInterfaces = true; }),
  lvs_timeouts: k.value('lvsTimeouts', lvsTimeouts),
  lvs_flush: k.value('lvsFlush', flag),
  lvs_flush_on_stop: LVS_FLUSH_ON_STOP,
  lvs_flush_onstop: k.deprecated(LVS_FLUSH_ON_STOP, 'use lvs_flush_on_stop'),
  lvs_sync_daemon: k.custom((d, node, ctx) => {
    const r = lvsSyncDaemon(node.args);
    if (r.ok) d.lvsSyncDaemon = { value: r.value, loc: node.loc };
    else ctx.invalid(node, r.error);
  }),
  vrrp_mcast_group4: k.value('mcastGroup4', multicast(4)),
  vrrp_mcast_group6: k.value('mcastGroup6', multicast(6)),
  ...garpKeywords('vrrp_'),
  vrrp_garp_interval: k.value('garpInterval', seconds(0.000001)),
  vrrp_gna_interval: k.value('gnaInterval', seconds(0.000001)),
  vrrp_min_garp: k.value('minGarp', flag),
  vrrp_down_timer_adverts: k.value('downTimerAdverts', uint(1, 100)),
  vrrp_lower_prio_no_advert: k.value('lowerPrioNoAdvert', flag),
  vrrp_higher_prio_send_advert: k.value('higherPrioSendAdvert', flag),
  vrrp_version: k.value('vrrpVersion', oneOf({ 2: 2, 3: 3 } as const)),
  vrrp_check_unicast_src: k.value('checkUnicastSrc', flag),
  vrrp_skip_check_adv_addr: k.value('skipCheckAdvAddr', flag),
  vrrp_strict: k.custom((d) => { d.strict = true; }),
  vrrp_notify_priority_changes: k.value('notifyPriorityChanges', flag),
  vrrp_startup_delay: k.value('startupDelay', seconds(0)),
  script_user: k.custom((d, node, ctx) => {
    if (node.args[0] === undefined) return ctx.invalid(node, 'needs a user name');
    d.scriptUser = { user: node.args[0], group: node.args[1] ?? null };
  }),
  enable_script_security: k.value('enableScriptSecurity', flag),
  notify_fifo: fifoPath('notifyFifo'),
  notify_fifo_script: fifoScript('notifyFifo'),
  vrrp_notify_fifo: fifoPath('vrrpNotifyFifo'),
  vrrp_notify_fifo_script: fifoScript('vrrpNotifyFifo'),
  lvs_notify_fifo: fifoPath('lvsNotifyFifo'),
  lvs_notify_fifo_script: fifoScript('lvsNotifyFifo'),
  fifo_write_vrrp_states_on_reload: k.value('fifoWriteVrrpStatesOnReload', flag),
  ...k.ignoring(SNMP, ['snmp_socket', 'enable_traps', 'enable_snmp_vrrp', 'enable_snmp_keepalived', 'enable_snmp_rfc', 'enable_snmp_rfcv2', 'enable_snmp_rfcv3', 'enable_snmp_checker']),
  ...k.ignoring(DBUS, ['enable_dbus', 'dbus_service_name']),
  ...k.ignoring(FIREWALL, ['vrrp_iptables', 'vrrp_ipsets', 'nftables', 'nftables_priority', 'nftables_ifindex', 'nftables_ipvs', 'nftables_ipvs_priority', 'nftables_ipvs_start_fwmark', 'nftables_counters']),
  ...k.ignoring(PROCESS, ['process_names', 'process_name', 'vrrp_process_name', 'checker_process_name', 'lvs_process_name', 'bfd_process_name', 'max_auto_priority', 'min_auto_priority_delay', 'umask', 'random_seed', 'tmp_config_directory', 'data_use_instance',
    ...['vrrp', 'checker', 'bfd'].flatMap((p) => ['priority', 'no_swap', 'rt_priority', 'cpu_affinity', 'rlimit_rttime', 'rlimit_rtime'].map((s) => `${p}_${s}`))]),
  ...k.ignoring(NETLINK, ['vrrp_netlink_cmd_rcv_bufs', 'vrrp_netlink_cmd_rcv_bufs_force', 'vrrp_netlink_monitor_rcv_bufs', 'vrrp_netlink_monitor_rcv_bufs_force', 'process_monitor_rcv_bufs', 'process_monitor_rcv_bufs_force', 'lvs_netlink_cmd_rcv_bufs', 'lvs_netlink_cmd_rcv_bufs_force', 'lvs_netlink_monitor_rcv_bufs', 'lvs_netlink_monitor_rcv_bufs_force', 'vrrp_rx_bufs_policy', 'vrrp_rx_bufs_multiplier']),
  ...k.ignoring(VMAC, ['vmac_prefix', 'vmac_addr_prefix', 'vrrp_garp_extra_if', 'vrrp_vmac_garp_intvl']),
  ...k.ignoring(RELOAD, ['reload_check_config', 'reload_time_file', 'reload_repeat', 'reload_file', 'include_check', 'config_save_dir']),
  disable_local_igmp: k.ignored('lvsd does not change IGMP settings'),
  log_unknown_vrids: k.ignored('lvsd logs unknown VRIDs at debug level'),
};
