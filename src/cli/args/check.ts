/**
 * ipvsadm's checks after parsing (process_options): the commands_v_options legality table, the tunnel-type
 * table, and the per-command rules, each with ipvsadm's message and status 2. They run in ipvsadm's order,
 * so a command line with several faults reports the same one.
 */
import { IPPROTO } from '../../model/protocol.js';
import { fail } from '../errors.js';
import { TUN_NAMES, type CommandEntry } from './entry.js';
import { OPT_NAMES, type CmdName, type OptName } from './options.js';

/**
 * commands_v_options[][]: one character per option bit in OPT_NAMES order.
 * '+' required, 'x' illegal, '1' at most one of the '1's, ' ' optional.
 *                     -n-c svc -s -p -M -r fwd -w -x -y mc tot dmn st rt thr pc srt sid ex ops pe -b grp port ttl size tinf type tprt nocs csum remc
 */
const LEGAL: Readonly<Record<CmdName, string>> = {
  'add-service':    'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx',
  'edit-service':   'xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx',
  'delete-service': 'xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  flush:            'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  list:             ' 11xxxxxxxxx11       xxxxxxx xxxxx',
  'add-server':     'xx+xxx+    xxxxxxxxxxxxxxxxxx     ',
  'delete-server':  'xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'edit-server':    'xx+xxx+    xxxxxxxxxxxxxxxxxx     ',
  set:              'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'start-daemon':   'xxxxxxxxxxx xxxxxxx xxxx    xxxxxx',
  'stop-daemon':    'xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx',
  restore:          'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  save:             ' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  zero:             'xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
};

/** tunnel_types_v_options[][] over --tun-port, --tun-nocsum, --tun-csum, --tun-remcsum. */
const TUN_OPTS: readonly OptName[] = ['tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'];
const TUN_LEGAL = ['xxxx', '+111', 'x11x'] as const;

/** Walks one legality row the way generic_opt_check()/tunnel_opt_check() do; the first fault wins. */
function checkRow(row: string, names: readonly OptName[], has: ReadonlySet<OptName>, what: string): void {
  let exclusive: OptName | null = null;
  names.forEach((name, j) => {
    const rule = row[j];
    if (!has.has(name)) {
      if (rule === '+') throw fail(2, `You need to supply the '${name}' option for the ${what}`);
      return;
    }
    if (rule === 'x') throw fail(2, `Illegal '${name}' option with the ${what}`);
    if (rule === '1') {
      if (exclusive !== null) throw fail(2, `The option '${name}' conflicts with the '${exclusive}' option in the ${what}`);
      exclusive = name;
    }
  });
}

/** Everything process_options() checks between parsing and acting; fills in defaults it fills in. */
export function checkEntry(ce: CommandEntry): void {
  const cmd = ce.cmd!;
  checkRow(LEGAL[cmd], OPT_NAMES, ce.options, `'${cmd}' command`);
  const { svc, dest } = ce;
  if (cmd === 'add-service' || cmd === 'edit-service') {
    if (!svc.fwmark && !svc.port && !svc.persistent) throw fail(2, 'Zero port specified for non-persistent service');
    if (svc.onePacket && !svc.fwmark && svc.protocol !== IPPROTO.udp) {
      throw fail(2, 'One-Packet Scheduling is only for UDP virtual services');
    }
    if (svc.sched === '') svc.sched = 'wlc';
  }
  if (cmd === 'start-daemon' && ce.daemon.mcastIfn === '') ce.daemon.mcastIfn = 'eth0';
  if (cmd === 'add-server' || cmd === 'edit-server') {
    // DR and tunnelling cannot change the port: the real server answers on the VIP's
    if (!svc.fwmark && (dest.fwd === 'tunnel' || dest.fwd === 'route')) dest.port = svc.port;
    if (dest.af !== svc.af && dest.fwd !== 'tunnel') {
      throw fail(2, 'Different address family is allowed only for tunneling servers');
    }
    const tunnelOpts: readonly OptName[] = ['tun-type', 'tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'];
    if (tunnelOpts.some((o) => ce.options.has(o)) && dest.fwd !== 'tunnel') {
      throw fail(2, 'Tunnel options conflict with forward method');
    }
    checkRow(TUN_LEGAL[dest.tunType as 0 | 1 | 2], TUN_OPTS, ce.options, `'${TUN_NAMES[dest.tunType]}' tunnel type`);
  }
  if (cmd === 'list') {
    const has = (...o: OptName[]): boolean => o.some((x) => ce.options.has(x));
    if ((has('connection', 'timeout', 'daemon') && has('stats', 'rate', 'thresholds')) ||
        (has('timeout', 'daemon') && has('persistent-conn'))) {
      throw fail(2, 'options conflicts in the list command');
    }
  }
}
