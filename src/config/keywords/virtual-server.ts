/** virtual_server keywords (keepalived check/check_parser.c init_check_keywords, virtual_server part). */
import { parseIp, v4ToU32, type Family, type IpAddr } from '../../model/address.js';
import type { Forwarding, ScriptSpec, SourceLoc, VirtualServerKey } from '../../model/config.js';
import type { Protocol } from '../../model/protocol.js';
import { isSchedulerName, SCHEDULER_NAMES } from '../../model/scheduler.js';
import type { ConfigNode } from '../tree.js';
import { CODES, type Ctx } from './context.js';
import { forwarding } from './forwarding.js';
import { newRealServer, REAL_SERVER_KEYWORDS, WEIGHT_LIMIT, type RsDraft } from './real-server.js';
import { keywordsFor, type Table } from './table.js';
import { addrPort, bad, flag, ok, oneOf, parseInteger, script, seconds, uint, word, type ValueParser } from './values.js';

export interface VsDraft {
  readonly loc: SourceLoc;
  readonly key: VirtualServerKey;
  /** The header as written, for messages. */
  readonly title: string;
  ipFamily?: Family;
  retry?: number;
  delayBeforeRetry?: number;
  warmup?: number;
  connectTimeout?: number;
  delayLoop?: number;
  inhibit?: boolean;
  scheduler?: string;
  flags: { fallback: boolean; port: boolean; flag3: boolean };
  ops?: boolean;
  forwarding?: Forwarding;
  persistenceEngine?: string;
  persistenceTimeout?: number;
  /** Raw text: its meaning (mask or prefix) depends on the family, known only at the end. */
  persistenceGranularity?: { text: string; loc: SourceLoc };
  protocol?: Protocol;
  haSuspend?: boolean;
  smtpAlert?: boolean;
  virtualhost?: string;
  alpha?: boolean;
  omega?: boolean;
  quorumUp?: ScriptSpec;
  quorumDown?: ScriptSpec;
  quorum?: number;
  hysteresis?: number;
  weight?: number;
  sorry?: { addr: IpAddr; port: number; loc: SourceLoc };
  sorryInhibit?: boolean;
  sorryForwarding?: Forwarding;
  realServers: RsDraft[];
}

/** `virtual_server ADDR [PORT] | fwmark N | group NAME {` (check_data.c alloc_vs). */
export function newVirtualServer(node: ConfigNode, ctx: Ctx): { draft: VsDraft; ctx: Ctx } | null {
  const key = vsKey(node.args);
  if (!key.ok) {
    ctx.invalid(node, key.error);
    return null;
  }
  const title = `virtual_server ${node.args.join(' ')}`;
  const draft: VsDraft = { loc: node.loc, key: key.value, title, flags: { fallback: false, port: false, flag3: false }, realServers: [] };
  return { draft, ctx: ctx.within(title) };
}

const vsKey: ValueParser<VirtualServerKey> = (args) => {
  const [a, b] = args;
  if (a === 'group') return b === undefined ? bad('group needs a name') : ok({ kind: 'group', group: b });
  if (a === 'fwmark') {
    const m = parseInteger(b ?? '', false);
    return m !== null && m <= 0xffffffff ? ok({ kind: 'fwmark', fwmark: m }) : bad(`fwmark must be a number from 0 to 4294967295, not "${b ?? ''}"`);
  }
  if (a === undefined) return bad('needs ADDRESS [PORT], fwmark N or group NAME');
  if (!parseIp(a)) return bad(`address "${a}" is not an IPv4 or IPv6 address (expected ADDRESS [PORT], fwmark N or group NAME)`);
  const r = addrPort(args);
  return r.ok ? ok({ kind: 'addr', addr: r.value.addr, port: r.value.port }) : r;
};

const k = keywordsFor<VsDraft>();

/** IPVS_SVC_PERSISTENT_TIMEOUT (libipvs.h): 6 minutes. */
export const DEFAULT_PERSISTENCE = 360;
/** LVS_MAX_TIMEOUT (global_data.h). */
const LVS_MAX_TIMEOUT = 86400 * 31;
const MAX_CONNECT_TIMEOUT = 4294.967295;

const scheduler: ValueParser<string> = (args) => {
  const s = args[0];
  if (s === undefined) return bad('needs a scheduler name');
  return isSchedulerName(s) ? ok(s) : bad(`must be one of ${SCHEDULER_NAMES.join(', ')}, not "${s}"`);
};
const SCHEDULER = k.value('scheduler', scheduler);
const FORWARDING = k.value('forwarding', forwarding);

/**
 * lbflags_handler: flag-N always apply; sh-* / mh-* only when lvs_sched sh / mh came before them
 * (keepalived reports and ignores them otherwise). `hashed` is accepted and sets nothing.
 */
function schedFlag(which: 'fallback' | 'port' | 'flag3', needs?: 'sh' | 'mh') {
  return k.custom((d, node, ctx) => {
    if (needs && d.scheduler !== needs) {
      return ctx.warn(CODES.adjusted, node.loc, `${node.keyword} only applies after lvs_sched ${needs}; it is ignored`);
    }
    d.flags[which] = true;
  });
}

export const VIRTUAL_SERVER_KEYWORDS: Table<VsDraft> = {
  ip_family: k.value('ipFamily', oneOf({ inet: 4, inet6: 6 } as const)),
  retry: k.value('retry', uint(1, 0xffffffff)),
  delay_before_retry: k.value('delayBeforeRetry', seconds(0)),
  warmup: k.value('warmup', seconds(0)),
  connect_timeout: k.value('connectTimeout', seconds(0.000001, MAX_CONNECT_TIMEOUT)),
  delay_loop: k.value('delayLoop', seconds(0.000001)),
  inhibit_on_failure: k.value('inhibit', flag),
  lb_algo: SCHEDULER,
  lvs_sched: SCHEDULER,
  hashed: k.custom(() => undefined),
  ops: k.custom((d) => { d.ops = true; }),
  'flag-1': schedFlag('fallback'),
  'flag-2': schedFlag('port'),
  'flag-3': schedFlag('flag3'),
  'sh-fallback': schedFlag('fallback', 'sh'),
  'sh-port': schedFlag('port', 'sh'),
  'mh-fallback': schedFlag('fallback', 'mh'),
  'mh-port': schedFlag('port', 'mh'),
  lb_kind: FORWARDING,
  lvs_method: FORWARDING,
  persistence_engine: k.value('persistenceEngine', word),
  persistence_timeout: k.custom((d, node, ctx) => {
    if (node.args.length === 0) return void (d.persistenceTimeout = DEFAULT_PERSISTENCE);
    const r = uint(1, LVS_MAX_TIMEOUT)(node.args);
    if (r.ok) d.persistenceTimeout = r.value;
    else ctx.invalid(node, r.error);
  }),
  persistence_granularity: k.custom((d, node, ctx) => {
    if (node.args[0] === undefined) return ctx.invalid(node, 'needs a netmask (IPv4) or prefix length (IPv6)');
    d.persistenceGranularity = { text: node.args[0], loc: node.loc };
  }),
  protocol: k.value('protocol', oneOf({ TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' } as const, { ignoreCase: true })),
  ha_suspend: k.value('haSuspend', flag),
  smtp_alert: k.value('smtpAlert', flag),
  virtualhost: k.value('virtualhost', word),
  snmp_name: k.ignored('lvsd has no SNMP agent'),
  alpha: k.value('alpha', flag),
  omega: k.value('omega', flag),
  quorum_up: k.once('quorumUp', script),
  quorum_down: k.once('quorumDown', script),
  quorum: k.value('quorum', uint(1, 0xffffffff)),
  hysteresis: k.value('hysteresis', uint(0, 0xffffffff)),
  weight: k.value('weight', uint(1, WEIGHT_LIMIT)),
  sorry_server: k.custom((d, node, ctx) => {
    const r = addrPort(node.args);
    if (r.ok) d.sorry = { ...r.value, loc: node.loc };
    else ctx.invalid(node, r.error);
  }),
  sorry_server_inhibit: k.custom((d, node, ctx) => {
    if (d.sorry) d.sorryInhibit = true;
    else ctx.warn(CODES.adjusted, node.loc, 'sorry_server_inhibit comes before (or without) sorry_server and is ignored');
  }),
  sorry_server_lvs_method: k.custom((d, node, ctx) => {
    if (!d.sorry) return ctx.warn(CODES.adjusted, node.loc, 'sorry_server_lvs_method comes before (or without) sorry_server and is ignored');
    const r = forwarding(node.args);
    if (r.ok) d.sorryForwarding = r.value;
    else ctx.invalid(node, r.error);
  }),
  real_server: k.block(newRealServer, REAL_SERVER_KEYWORDS, (d, rs) => d.realServers.push(rs)),
};

/** persistence_granularity by family (pgr_handler): IPv4 a dotted netmask, IPv6 a prefix length 1..128. */
export function granularity(text: string, af: Family): { value: number } | { error: string } {
  if (af === 6) {
    const n = parseInteger(text, false);
    return n !== null && n >= 1 && n <= 128 ? { value: n } : { error: `must be an IPv6 prefix length from 1 to 128, not "${text}"` };
  }
  const m = parseIp(text);
  if (!m || m.af !== 4) return { error: `must be an IPv4 netmask such as 255.255.255.0, not "${text}"` };
  return { value: v4ToU32(m.text) };
}
