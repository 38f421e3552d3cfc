/**
 * ipvsadm's popt option table (ipvsadm.c parse_options) and its option bits (OPTC_*), whose order is the
 * order generic_opt_check walks and whose names its messages print.
 */

/** How an option takes its value, as popt declares it. */
export type ArgKind = 'none' | 'string' | 'optional';

export interface OptionDef {
  readonly long: string;
  readonly short: string | null;
  readonly arg: ArgKind;
  /** The value popt returns: the short letter, or ipvsadm's TAG_* name for long-only options. */
  readonly tag: string;
}

const def = (long: string, short: string | null, arg: ArgKind, tag?: string): OptionDef =>
  ({ long, short, arg, tag: tag ?? short ?? long });

/** In table order: popt finds the first entry that matches, so `--list` is `L`. */
export const OPTION_TABLE: readonly OptionDef[] = [
  def('add-service', 'A', 'none'), def('edit-service', 'E', 'none'), def('delete-service', 'D', 'none'),
  def('clear', 'C', 'none'), def('list', 'L', 'none'), def('list', 'l', 'none'), def('zero', 'Z', 'none'),
  def('add-server', 'a', 'none'), def('edit-server', 'e', 'none'), def('delete-server', 'd', 'none'),
  def('set', null, 'none'), def('help', 'h', 'none'), def('version', 'v', 'none'),
  def('restore', 'R', 'none'), def('save', 'S', 'none'),
  def('start-daemon', null, 'string'), def('stop-daemon', null, 'string'),
  def('tcp-service', 't', 'string'), def('udp-service', 'u', 'string'), def('sctp-service', null, 'string'),
  def('fwmark-service', 'f', 'string'), def('scheduler', 's', 'string'), def('persistent', 'p', 'optional'),
  def('netmask', 'M', 'string'), def('real-server', 'r', 'string'),
  def('masquerading', 'm', 'none'), def('ipip', 'i', 'none'), def('gatewaying', 'g', 'none'),
  def('weight', 'w', 'string'), def('u-threshold', 'x', 'string'), def('l-threshold', 'y', 'string'),
  def('numeric', 'n', 'none'), def('connection', 'c', 'none'),
  // --syncid has no short form; ipvsadm tags it 'I', which is not an option letter
  def('mcast-interface', null, 'string'), def('syncid', null, 'string', 'syncid'),
  def('timeout', null, 'none'), def('daemon', null, 'none'), def('stats', null, 'none'), def('rate', null, 'none'),
  def('thresholds', null, 'none'), def('persistent-conn', null, 'none'), def('nosort', null, 'none'),
  def('sort', null, 'none'), def('exact', 'X', 'none'), def('ipv6', '6', 'none'), def('ops', 'o', 'none'),
  def('pe', null, 'string'), def('sched-flags', 'b', 'string'),
  def('mcast-group', null, 'string'), def('mcast-port', null, 'string'), def('mcast-ttl', null, 'string'),
  def('sync-maxlen', null, 'string'), def('tun-info', null, 'none'), def('tun-type', null, 'string'),
  def('tun-port', null, 'string'), def('tun-nocsum', null, 'none'), def('tun-csum', null, 'none'),
  def('tun-remcsum', null, 'none'),
];

/** optnames[]: index = OPTC_* bit. */
export const OPT_NAMES = [
  'numeric', 'connection', 'service-address', 'scheduler', 'persistent', 'netmask', 'real-server',
  'forwarding-method', 'weight', 'u-threshold', 'l-threshold', 'mcast-interface', 'timeout', 'daemon',
  'stats', 'rate', 'thresholds', 'persistent-conn', 'nosort', 'syncid', 'exact', 'ops', 'pe', 'sched-flags',
  'mcast-group', 'mcast-port', 'mcast-ttl', 'sync-maxlen', 'tun-info', 'tun-type', 'tun-port', 'tun-nocsum',
  'tun-csum', 'tun-remcsum',
] as const;

export type OptName = (typeof OPT_NAMES)[number];

/** OPTC_* index of an option bit. */
export const optIndex = (n: OptName): number => OPT_NAMES.indexOf(n);

/** The commands, in CMD_* order; cmdnames[] gives their message names. */
export const CMD_NAMES = [
  'add-service', 'edit-service', 'delete-service', 'flush', 'list', 'add-server', 'delete-server',
  'edit-server', 'set', 'start-daemon', 'stop-daemon', 'restore', 'save', 'zero',
] as const;

export type CmdName = (typeof CMD_NAMES)[number];
