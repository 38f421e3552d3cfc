import { addrPort, type IpAddr } from '../../model/address.js';
import type { FwdMethod } from '../../model/service.js';
import { zeroCounters, zeroRates, type Counters, type Rates } from '../../model/stats.js';
import type { DestEntry } from '../../model/table.js';
import { procAddr, procPort } from './proc-addr.js';

/**
 * Parses /proc/net/ip_vs (net/netfilter/ipvs/ip_vs_ctl.c ip_vs_info_seq_show): the whole table of the reader's
 * network namespace in one read, where netlink needs one GET_DEST dump per service. It carries each real
 * server's address, port, forwarding method, weight and connection counts, and of a service only what
 * identifies it (the rest comes from one GET_SERVICE dump). Lines that do not fit are reported, and the
 * service they belong to is left out, so its caller asks netlink for it instead of guessing.
 */

/**
 * A real server as /proc shows it, already in the snapshot's shape (a large listing must not hold two copies):
 * what /proc does not carry (counters, rates, thresholds, persistent count, tunnel settings) is 0.
 */
export type ProcDest = DestEntry;

/** One pair for every real server read from /proc: nothing writes snapshot counters, and 110,000 copies cost. */
const NO_STATS: { readonly stats: Counters; readonly rates: Rates } = Object.freeze({ stats: Object.freeze(zeroCounters()), rates: Object.freeze(zeroRates()) });

export interface ProcIpVs {
  /** Real servers of address services, by serviceKey (`tcp:198.18.0.1:80`), in the kernel's order. */
  readonly byKey: Map<string, ProcDest[]>;
  /** Real servers of fwmark services by mark: /proc prints no family, so a mark used by v4 and v6 has two entries. */
  readonly byMark: Map<number, ProcDest[][]>;
  readonly bad: string[];
}

/** ip_vs_fwd_name(): what each forwarding method is called there (anything else prints as Masq). */
const FWD_NAMES: Readonly<Record<string, FwdMethod>> = { Masq: 'masq', Local: 'local', Tunnel: 'tunnel', Route: 'route' };
const PROTOCOLS: Readonly<Record<string, string>> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

export function parseIpVs(text: string): ProcIpVs {
  const out: ProcIpVs = { byKey: new Map(), byMark: new Map(), bad: [] };
  let current: ProcDest[] | null = null;
  let currentKey: string | number | null = null;
  const drop = (line: string): void => {
    out.bad.push(line);
    if (typeof currentKey === 'string') out.byKey.delete(currentKey);
    else if (typeof currentKey === 'number') out.byMark.get(currentKey)?.pop();
    current = null;
    currentKey = null;
  };
  for (let at = 0; at < text.length;) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    const f = line.trim().split(/\s+/);
    const head = f[0] ?? '';
    if (head === '' || head === 'IP' || head === 'Prot') continue;
    if (head === '->') {
      if (f[1] === 'RemoteAddress:Port') continue;
      if (current === null) {
        out.bad.push(line); // under a service line that did not parse, or before any
        continue;
      }
      const d = dest(f);
      if (d) current.push(d);
      else drop(line);
      continue;
    }
    current = [];
    if (head === 'FWM') {
      const mark = /^[0-9A-Fa-f]{8}$/.test(f[1] ?? '') ? parseInt(f[1]!, 16) : -1;
      if (mark < 0) {
        drop(line);
        continue;
      }
      const list = out.byMark.get(mark) ?? [];
      list.push(current);
      out.byMark.set(mark, list);
      currentKey = mark;
      continue;
    }
    const key = serviceKeyOf(head, f[1]);
    if (key === null || out.byKey.has(key)) {
      drop(line);
      continue;
    }
    out.byKey.set(key, current);
    currentKey = key;
  }
  return out;
}

/** `TCP  C6120000:0050` or `TCP  [2001:0db8:…]:0050` as serviceKey() writes it; null when it does not parse. */
function serviceKeyOf(proto: string, addrPortText: string | undefined): string | null {
  const protocol = PROTOCOLS[proto];
  const ap = split(addrPortText);
  return protocol && ap ? `${protocol}:${addrPort(ap.addr, ap.port)}` : null;
}

function split(s: string | undefined): { addr: IpAddr; port: number } | null {
  const colon = s?.lastIndexOf(':') ?? -1;
  if (s === undefined || colon < 0) return null;
  const addr = procAddr(s.slice(0, colon));
  const port = procPort(s.slice(colon + 1));
  return addr && port >= 0 ? { addr, port } : null;
}

const count = (s: string | undefined): number => (s !== undefined && /^\d+$/.test(s) ? Number(s) : -1);

function dest(f: readonly string[]): ProcDest | null {
  const ap = split(f[1]);
  const fwd = FWD_NAMES[f[2] ?? ''];
  const [weight, activeConns, inactConns] = [count(f[3]), count(f[4]), count(f[5])];
  if (!ap || !fwd || weight < 0 || activeConns < 0 || inactConns < 0 || f.length !== 6) return null;
  return {
    spec: { addr: ap.addr, port: ap.port, weight, fwd, tunType: 'ipip', tunPort: 0, tunFlags: 0, uThreshold: 0, lThreshold: 0 },
    activeConns, inactConns, persistConns: 0, ...NO_STATS,
  };
}
