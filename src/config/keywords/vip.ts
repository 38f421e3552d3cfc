/**
 * One virtual_ipaddress line: `ADDR[/PREFIX] [dev IF] [scope S] [brd B|+|-] [label L] [peer P] [home]
 * [-nodad] [mngtmpaddr] [noprefixroute] [autojoin] [no_track] [preferred_lft N|forever] [use_vmac]`
 * (keepalived vrrp/vrrp_ipaddress.c parse_ipaddress and alloc_ipaddress).
 */
import { parseIp, v4Text, v4ToU32, type IpAddr } from '../../model/address.js';
import type { VirtualIp } from '../../model/config.js';
import { bad, ok, parseInteger, type Parsed, type ValueParser } from './values.js';

/** /etc/iproute2/rt_scopes names keepalived's find_rttables_scope knows without the file. */
const SCOPES: Readonly<Record<string, number>> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 };

type Vip = Omit<VirtualIp, 'loc'>;

const FLAGS = { home: 'home', '-nodad': 'nodad', mngtmpaddr: 'mngtmpaddr', noprefixroute: 'noprefixroute', autojoin: 'autojoin', no_track: 'noTrack' } as const;

/** ADDR or ADDR/PREFIX; the prefix defaults to the host length. */
export function addrPrefix(s: string): Parsed<{ addr: IpAddr; prefix: number }> {
  const slash = s.indexOf('/');
  const addr = parseIp(slash < 0 ? s : s.slice(0, slash));
  if (!addr) return bad(`"${s}" is not an IPv4 or IPv6 address`);
  const max = addr.af === 4 ? 32 : 128;
  if (slash < 0) return ok({ addr, prefix: max });
  const p = parseInteger(s.slice(slash + 1), false);
  return p !== null && p <= max ? ok({ addr, prefix: p }) : bad(`"${s}" has prefix length "${s.slice(slash + 1)}", which must be from 0 to ${max}`);
}

/** brd +/-: the broadcast computed from the prefix (only v4, prefixes up to /30). */
function broadcastOf(addr: IpAddr, prefix: number, sign: '+' | '-'): IpAddr | null {
  if (prefix > 30) return null;
  const host = prefix === 0 ? 0xffffffff : (0xffffffff >>> prefix);
  const a = v4ToU32(addr.text);
  return { af: 4, text: v4Text(sign === '+' ? (a | host) >>> 0 : (a & ~host) >>> 0) };
}

export const vipLine: ValueParser<Vip> = (words) => {
  const head = addrPrefix(words[0] ?? '');
  if (!head.ok) return head;
  const { addr } = head.value;
  const v: { -readonly [K in keyof Vip]: Vip[K] } = {
    addr, prefix: head.value.prefix, dev: null, scope: 0, label: null, broadcast: null, peer: null, noTrack: false,
    preferredLft: null, home: false, nodad: false, mngtmpaddr: false, noprefixroute: false, autojoin: false,
  };
  let brdSign: '+' | '-' | null = null;
  for (let i = 1; i < words.length; i++) {
    const opt = words[i]!;
    if (opt === 'use_vmac') continue; // VMAC is ignored by lvsd; reported once for the instance
    if (Object.hasOwn(FLAGS, opt)) {
      v[FLAGS[opt as keyof typeof FLAGS]] = true;
      continue;
    }
    const arg = words[++i];
    if (arg === undefined) return bad(`option ${opt} needs a value (address ${addr.text})`);
    if (opt === 'dev') v.dev = arg;
    else if (opt === 'label') v.label = arg;
    else if (opt === 'scope') {
      const sc = Object.hasOwn(SCOPES, arg) ? SCOPES[arg]! : parseInteger(arg, false);
      if (sc === null || sc > 255) return bad(`scope must be global, site, link, host, nowhere or 0..255, not "${arg}"`);
      v.scope = sc;
    } else if (opt === 'brd' || opt === 'broadcast') {
      if (addr.af === 6) return bad(`cannot give a broadcast address to the IPv6 address ${addr.text}`);
      if (arg === '+' || arg === '-') brdSign = arg;
      else {
        const b = parseIp(arg);
        if (!b || b.af !== 4) return bad(`broadcast must be an IPv4 address, + or -, not "${arg}"`);
        v.broadcast = b;
      }
    } else if (opt === 'peer') {
      const p = addrPrefix(arg);
      if (!p.ok || p.value.addr.af !== addr.af) return bad(`peer must be an IPv${addr.af} address, not "${arg}"`);
      v.peer = p.value.addr;
      v.prefix = p.value.prefix;
    } else if (opt === 'preferred_lft') {
      const n = arg === 'forever' ? 'forever' : parseInteger(arg, false);
      if (n === null || (typeof n === 'number' && n > 0xffffffff)) return bad(`preferred_lft must be a number of seconds or forever, not "${arg}"`);
      v.preferredLft = n;
    } else return bad(`has unknown option "${opt}" (address ${addr.text})`);
  }
  if (brdSign) v.broadcast = broadcastOf(v.peer ?? addr, v.prefix, brdSign);
  // IPv6: no scope or label; /128 addresses default to preferred_lft 0 (deprecated) unless given.
  if (addr.af === 6) {
    v.scope = 0;
    v.label = null;
    if (v.preferredLft === null) v.preferredLft = v.prefix === 128 ? 0 : 'forever';
  }
  return ok(v);
};
