/**
 * ipvsadm's parse_options(): argv → a filled CommandEntry, or an exit. The first option must be the command
 * (else "Try `prog -h'…", 255); every later option is applied in argv order, and a command letter among them
 * is an "invalid option". Values are checked as they are met, so the first bad one is the one reported.
 */
import { IPPROTO } from '../../model/protocol.js';
import { CliExit, fail, tryHelp } from '../errors.js';
import { helpText, versionText } from '../usage.js';
import { v6ToWords } from '../../model/address.js';
import { inetPton4, inetPton6, atoi, stringToNumber } from './clib.js';
import { newEntry, type CommandEntry } from './entry.js';
import type { CmdName, OptName } from './options.js';
import { Popt } from './popt.js';
import { MAX_TIMEOUT, parseFwmark, parseNetmask, parseSchedFlags, parseService, parseTimeout, parseTunType } from './values.js';

const FIRST: Readonly<Record<string, CmdName>> = {
  A: 'add-service', E: 'edit-service', D: 'delete-service', a: 'add-server', e: 'edit-server',
  d: 'delete-server', C: 'flush', L: 'list', l: 'list', Z: 'zero', set: 'set', R: 'restore', S: 'save',
  'start-daemon': 'start-daemon', 'stop-daemon': 'stop-daemon',
};

/** Parses one invocation; argv[0] is the program name. Throws CliExit for every way ipvsadm would stop. */
export function parseOptions(argv: readonly string[]): CommandEntry {
  const prog = argv[0] ?? 'lvsadm';
  const ce = newEntry();
  const popt = new Popt(argv);
  const first = popt.nextOpt();
  if (first.kind !== 'opt') throw tryHelp(prog);
  const tag = first.def.tag;
  if (tag === 'h') throw new CliExit(0, '', helpText(prog));
  if (tag === 'v') throw new CliExit(0, '', versionText());
  const cmd = Object.hasOwn(FIRST, tag) ? FIRST[tag]! : null;
  if (cmd === null) throw tryHelp(prog);
  ce.cmd = cmd;
  if (cmd === 'start-daemon' || cmd === 'stop-daemon') {
    const v = first.value ?? '';
    if (v !== 'master' && v !== 'backup') {
      throw fail(2, cmd === 'start-daemon' ? 'illegal start-daemon parameter specified' : 'illegal start_daemon specified');
    }
    ce.daemon.state = v;
  }

  let sched: string | null = null;
  for (let ev = popt.nextOpt(); ; ev = popt.nextOpt()) {
    if (ev.kind === 'end') break;
    if (ev.kind === 'error') throw new CliExit(255, `${popt.badOption()}: ${ev.error}\n`, '', true);
    const flags = applyOption(ce, ev.def.tag, ev.value ?? null);
    if (flags === 'bad') throw fail(2, `invalid option \`${popt.badOption()}'`);
    if (flags !== null) sched = flags;
  }

  if (ce.cmd === 'set') {
    const [a, b, c] = [popt.getArg(), popt.getArg(), popt.getArg()];
    if (a === null || b === null || c === null) throw fail(2, '--set option requires 3 timeout values');
    ce.timeouts = { tcp: parseTimeout(a, 0, MAX_TIMEOUT), tcpFin: parseTimeout(b, 0, MAX_TIMEOUT), udp: parseTimeout(c, 0, MAX_TIMEOUT) };
  }
  const extra = popt.getArg();
  if (extra !== null) throw fail(2, `unexpected argument ${extra}`);
  if (sched) ce.svc.schedFlags = parseSchedFlags(ce.svc.sched, sched);
  return ce;
}

/** ipvsadm's set_option(): each option bit at most once. */
function setOption(ce: CommandEntry, name: OptName): void {
  if (ce.options.has(name)) throw fail(2, `multiple '${name}' options specified`);
  ce.options.add(name);
}

/**
 * One option of the loop. Returns the -b argument (parsed after the loop, once the scheduler is known),
 * 'bad' for an option that is not allowed here (a command), or null.
 */
function applyOption(ce: CommandEntry, tag: string, value: string | null): string | 'bad' | null {
  const v = value ?? '';
  const { svc, dest, daemon, format } = ce;
  const num = (name: OptName, min: number, max: number, what: string): number => {
    setOption(ce, name);
    const n = stringToNumber(v, min, max);
    if (n === null) throw fail(2, `illegal ${what} specified`);
    return n;
  };
  const flag = (name: OptName, key: keyof typeof format): void => { setOption(ce, name); format[key] = true; };
  switch (tag) {
    case 't': case 'u': case 'sctp-service': {
      setOption(ce, 'service-address');
      svc.protocol = tag === 't' ? IPPROTO.tcp : tag === 'u' ? IPPROTO.udp : IPPROTO.sctp;
      const p = parseService(v, svc.protocol);
      if (!p) throw fail(2, 'illegal virtual server address[:port] specified');
      svc.addr = p.addr;
      svc.af = p.addr.af;
      if (p.port !== null) svc.port = p.port;
      if (p.addr.af === 6) svc.netmask = 128;
      return null;
    }
    case 'f':
      setOption(ce, 'service-address');
      svc.af = 4;
      svc.protocol = IPPROTO.tcp;
      svc.fwmark = parseFwmark(v);
      return null;
    case 's': setOption(ce, 'scheduler'); svc.sched = v.slice(0, 15); return null;
    case 'p':
      setOption(ce, 'persistent');
      svc.persistent = true;
      svc.timeout = parseTimeout(value, 1, MAX_TIMEOUT);
      return null;
    case 'M': {
      setOption(ce, 'netmask');
      if (svc.af !== 6) {
        const m = parseNetmask(v);
        if (m === null) throw fail(2, 'illegal virtual server persistent mask specified');
        svc.netmask = m;
      } else {
        svc.netmask = atoi(v);
        if (svc.netmask < 1 || svc.netmask > 128) throw fail(2, 'illegal ipv6 netmask specified');
      }
      return null;
    }
    case 'r': {
      setOption(ce, 'real-server');
      const p = parseService(v, svc.protocol);
      if (!p) throw fail(2, 'illegal real server address[:port] specified');
      dest.af = p.addr.af;
      dest.addr = p.addr;
      // no port given: the service's port as it is at this point of argv
      dest.port = p.port ?? svc.port;
      return null;
    }
    case 'i': setOption(ce, 'forwarding-method'); dest.fwd = 'tunnel'; return null;
    case 'g': setOption(ce, 'forwarding-method'); dest.fwd = 'route'; return null;
    case 'm': setOption(ce, 'forwarding-method'); dest.fwd = 'masq'; return null;
    case 'w': dest.weight = num('weight', 0, 65535, 'weight'); return null;
    case 'x': dest.uThreshold = num('u-threshold', 0, 0x7fffffff, 'u_threshold'); return null;
    case 'y': dest.lThreshold = num('l-threshold', 0, 0x7fffffff, 'l_threshold'); return null;
    case 'c': setOption(ce, 'connection'); return null;
    case 'n': flag('numeric', 'numeric'); return null;
    case 'mcast-interface': setOption(ce, 'mcast-interface'); daemon.mcastIfn = v.slice(0, 15); return null;
    case 'syncid': daemon.syncId = num('syncid', 0, 255, 'syncid'); return null;
    case 'timeout': setOption(ce, 'timeout'); return null;
    case 'daemon': setOption(ce, 'daemon'); return null;
    case 'stats': flag('stats', 'stats'); return null;
    case 'rate': flag('rate', 'rate'); return null;
    case 'thresholds': flag('thresholds', 'thresholds'); return null;
    case 'persistent-conn': flag('persistent-conn', 'persistentConn'); return null;
    case 'nosort': flag('nosort', 'nosort'); return null;
    case 'sort': return null; // a no-op kept for compatibility, as in ipvsadm
    case 'X': flag('exact', 'exact'); return null;
    case '6':
      if (!svc.fwmark) throw fail(2, '-6 used before -f\n');
      svc.af = 6;
      svc.netmask = 128;
      return null;
    case 'o': setOption(ce, 'ops'); svc.onePacket = true; return null;
    case 'pe': setOption(ce, 'pe'); svc.pe = v.slice(0, 16); return null;
    case 'b': setOption(ce, 'sched-flags'); return v.slice(0, 127);
    case 'mcast-group': setOption(ce, 'mcast-group'); daemon.group = mcastGroup(v); return null;
    case 'mcast-port': daemon.port = num('mcast-port', 1, 65535, 'mcast-port'); return null;
    case 'mcast-ttl': daemon.ttl = num('mcast-ttl', 1, 255, 'mcast-ttl'); return null;
    case 'sync-maxlen': daemon.maxLen = num('sync-maxlen', 1, 65535 - 20 - 8, 'sync-maxlen'); return null;
    case 'tun-info': flag('tun-info', 'tunInfo'); return null;
    case 'tun-type': {
      setOption(ce, 'tun-type');
      const t = parseTunType(v);
      if (t === null) throw fail(2, 'illegal tunnel type specified');
      dest.tunType = t;
      return null;
    }
    case 'tun-port': dest.tunPort = num('tun-port', 1, 65535, 'tunnel port'); return null;
    case 'tun-nocsum': setOption(ce, 'tun-nocsum'); return null; // flag value 0: nothing to OR in
    case 'tun-csum': setOption(ce, 'tun-csum'); dest.tunFlags |= 1; return null;
    case 'tun-remcsum': setOption(ce, 'tun-remcsum'); dest.tunFlags |= 2; return null;
    default: return 'bad';
  }
}

/** --mcast-group: a v6 group if the text has a colon, else v4; it must be multicast. */
function mcastGroup(v: string): string {
  if (v.includes(':')) {
    const a = inetPton6(v);
    if (!a || v6ToWords(a.text)[0] >>> 24 !== 0xff) throw fail(2, `invalid IPv6 mcast-group \`${v}'`);
    return a.text;
  }
  const a = inetPton4(v);
  const first = a ? Number(a.text.split('.')[0]) : 0;
  if (!a || first < 224 || first > 239) throw fail(2, `invalid IPv4 mcast-group \`${v}'`);
  return a.text;
}
