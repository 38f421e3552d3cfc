/**
 * virtual_server drafts → VirtualServers: family, protocol and scheduler defaults, VS → RS inheritance,
 * port rules, quorum, sorry server (keepalived check/check_data.c validate_check_config, alloc_vs/alloc_rs,
 * check_parser.c vs_end_handler/rs_end_handler).
 */
import type { Family } from '../../model/address.js';
import type { Forwarding, GlobalDefs, RealServer, SorryServer, VirtualServer, VirtualServerGroup } from '../../model/config.js';
import { CODES, type Ctx } from '../keywords/context.js';
import { NAT } from '../keywords/forwarding.js';
import type { RsDraft } from '../keywords/real-server.js';
import { DEFAULT_PERSISTENCE, granularity, type VsDraft } from '../keywords/virtual-server.js';
import { resolveChecker } from './checkers.js';
import { realServerPort, vsIdentity } from './lvs-rules.js';
import type { Tracked } from './tracking.js';

/** The track_file objects FILE_CHECK refers to. */
type Files = Pick<Tracked, 'files' | 'declared'>;

/** KEEPALIVED_DEFAULT_DELAY 60 s; alloc_vs connection_to 5 s; IPVS_DEF_SCHED. */
const DEFAULT_DELAY_LOOP = 60;
const DEFAULT_CONNECT_TIMEOUT = 5;
const DEFAULT_SCHEDULER = 'wlc';

/** vs_end_handler: fwmark services take their family from non-tunnelled servers, else from all, else IPv4. */
function vsFamily(d: VsDraft, group: VirtualServerGroup | undefined, ctx: Ctx): Family | null {
  const fromKey: Family | null = d.key.kind === 'addr' ? d.key.addr.af
    : group ? familyOfGroup(group) : null;
  if (d.ipFamily && fromKey && d.ipFamily !== fromKey) {
    ctx.error(CODES.value, d.loc, `ip_family inet${d.ipFamily === 6 ? '6' : ''} conflicts with the service's IPv${fromKey} address`);
    return null;
  }
  if (fromKey) return fromKey;
  if (d.ipFamily) return d.ipFamily;
  const direct = d.realServers.find((r) => (r.forwarding ?? d.forwarding ?? NAT).method !== 'tunnel');
  return (direct ?? d.realServers[0])?.addr.af ?? d.sorry?.addr.af ?? 4;
}

function familyOfGroup(g: VirtualServerGroup): Family | null {
  const fams = new Set<Family>([...g.ranges.map((r) => r.first.af), ...g.fwmarks.flatMap((f) => (f.family ? [f.family] : []))]);
  return fams.size === 1 ? [...fams][0]! : null;
}

function realServer(d: RsDraft, vs: VsDraft, af: Family, global: GlobalDefs, tracked: Files, ctx: Ctx): RealServer | null {
  const rctx = ctx.within(`${ctx.scope} > ${d.title}`);
  const forwarding: Forwarding = d.forwarding ?? vs.forwarding ?? NAT;
  // rs_end_handler: only tunnelled real servers may differ in family from the virtual server.
  if (forwarding.method !== 'tunnel' && d.addr.af !== af) {
    rctx.error(CODES.value, d.loc, `is IPv${d.addr.af} but the virtual server is IPv${af} (only TUN real servers may differ)`);
    return null;
  }
  const connectTimeout = d.connectTimeout ?? vs.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
  const delayLoop = d.delayLoop ?? vs.delayLoop ?? DEFAULT_DELAY_LOOP;
  const alpha = d.alpha ?? vs.alpha ?? false;
  const inherited = {
    addr: d.addr, port: d.port, alpha, retry: d.retry ?? vs.retry, connectTimeout, delayLoop,
    warmup: d.warmup ?? vs.warmup, delayBeforeRetry: d.delayBeforeRetry ?? vs.delayBeforeRetry,
    virtualhost: d.virtualhost ?? vs.virtualhost ?? null, vsDelayLoop: vs.delayLoop ?? DEFAULT_DELAY_LOOP,
    logAllFailures: global.checkerLogAllFailures, trackFiles: tracked.files, declared: tracked.declared,
  };
  return {
    loc: d.loc, addr: d.addr, port: realServerPort(d, vs, forwarding, rctx), weight: d.weight ?? vs.weight ?? 1, forwarding,
    inhibitOnFailure: d.inhibit ?? vs.inhibit ?? false, alpha,
    notifyUp: d.notifyUp ?? null, notifyDown: d.notifyDown ?? null,
    uthreshold: d.uthreshold ?? 0, lthreshold: d.lthreshold ?? 0,
    // RS smtp_alert defaults to yes (backward compatibility, validate_check_config).
    smtpAlert: d.smtpAlert ?? global.smtpAlertChecker ?? global.smtpAlert ?? true,
    virtualhost: d.virtualhost ?? null, connectTimeout, delayLoop,
    checkers: d.checkers.flatMap((c) => resolveChecker(c, inherited, rctx.within(`${rctx.scope} > ${c.type}`))),
  };
}

function sorryServer(d: VsDraft, af: Family, rss: readonly RealServer[], ctx: Ctx): SorryServer | null {
  if (!d.sorry) return null;
  const forwarding = d.sorryForwarding ?? d.forwarding ?? NAT;
  if (forwarding.method !== 'tunnel' && d.sorry.addr.af !== af) {
    ctx.error(CODES.value, d.sorry.loc, `sorry_server ${d.sorry.addr.text} is IPv${d.sorry.addr.af} but the virtual server is IPv${af}`);
    return null;
  }
  const port = realServerPort(d.sorry, d, forwarding, ctx.within(`${ctx.scope} > sorry_server`));
  let inhibit = d.sorryInhibit ?? false;
  const same = rss.find((r) => r.addr.text === d.sorry?.addr.text && r.port === port);
  if (same && same.inhibitOnFailure !== inhibit) {
    ctx.warn(CODES.adjusted, d.sorry.loc, 'sorry_server is also a real server with a different inhibit_on_failure; the real server\'s setting is used');
    inhibit = same.inhibitOnFailure;
  }
  return { addr: d.sorry.addr, port, forwarding, inhibit };
}

interface Groups {
  readonly usable: ReadonlyMap<string, VirtualServerGroup>;
  /** Every group name declared, usable or not. */
  readonly declared: ReadonlySet<string>;
}

function virtualServer(d: VsDraft, groups: Groups, global: GlobalDefs, tracked: Files, ctx: Ctx): VirtualServer | null {
  const group = d.key.kind === 'group' ? groups.usable.get(d.key.group) : undefined;
  if (d.key.kind === 'group' && !group) {
    // A declared group that was dropped has been reported already.
    if (!groups.declared.has(d.key.group)) ctx.error(CODES.reference, d.loc, `virtual_server_group ${d.key.group} is not defined`);
    return null;
  }
  if (d.realServers.length === 0) {
    ctx.warn(CODES.adjusted, d.loc, 'has no real servers and is ignored');
    return null;
  }
  const af = vsFamily(d, group, ctx);
  if (af === null) return null;
  const adjust = (text: string) => ctx.warn(CODES.adjusted, d.loc, text);
  const byAddress = d.key.kind === 'addr' || (group?.ranges.length ?? 0) > 0;
  let protocol = d.protocol ?? null;
  if (byAddress && !protocol) {
    if (!ctx.wasRejected('protocol')) adjust('has no protocol; keepalived 2.2.7 defaults to UDP');
    protocol = 'udp';
  } else if (!byAddress && protocol) {
    adjust('protocol is ignored for a fwmark service');
    protocol = null;
  }
  let ops = d.ops ?? false;
  if (ops && byAddress && protocol !== 'udp') {
    adjust('ops (one-packet scheduling) needs UDP and is cleared');
    ops = false;
  }
  const scheduler = d.scheduler ?? DEFAULT_SCHEDULER;
  if (!d.scheduler && !ctx.wasRejected('lvs_sched', 'lb_algo')) adjust(`has no lvs_sched; using ${DEFAULT_SCHEDULER}`);
  if (!d.forwarding && d.realServers.some((r) => !r.forwarding) && !ctx.wasRejected('lvs_method', 'lb_kind')) adjust('has no lvs_method; using NAT');
  let haSuspend = d.haSuspend ?? false;
  if (haSuspend && (d.key.kind === 'fwmark' || (group?.fwmarks.length ?? 0) > 0)) {
    adjust('ha_suspend cannot be used with fwmarks and is cleared');
    haSuspend = false;
  }
  let persistenceTimeout = d.persistenceTimeout ?? 0;
  let netmask = af === 4 ? 0xffffffff : 128;
  if (d.persistenceGranularity) {
    const g = granularity(d.persistenceGranularity.text, af);
    if ('error' in g) ctx.error(CODES.value, d.persistenceGranularity.loc, `persistence_granularity ${g.error}`);
    else netmask = g.value;
    persistenceTimeout ||= DEFAULT_PERSISTENCE;
  }
  const portless = d.key.kind === 'addr' ? d.key.port === 0 : (group?.ranges.some((r) => r.port === 0) ?? false);
  if (!persistenceTimeout && portless) {
    adjust(`a service without a port must be persistent; using persistence_timeout ${DEFAULT_PERSISTENCE}`);
    persistenceTimeout = DEFAULT_PERSISTENCE;
  }

  const realServers: RealServer[] = [];
  // Keyed by address and port: a scan of the list per real server made 80,000 of them take ~40 s (issue 11).
  const byDest = new Map<string, RealServer>();
  for (const r of d.realServers) {
    const rs = realServer(r, d, af, global, tracked, ctx);
    if (!rs) continue;
    const key = `${rs.addr.text} ${rs.port}`;
    const dup = byDest.get(key);
    if (dup) ctx.error(CODES.duplicate, r.loc, `${r.title} is already defined at ${dup.loc.file}:${dup.loc.line}`);
    else {
      byDest.set(key, rs);
      realServers.push(rs);
    }
  }
  // Every real server was rejected (and reported): the service is left out without a further message.
  if (realServers.length === 0) return null;
  const total = realServers.reduce((s, r) => s + r.weight, 0);
  let quorum = d.quorum ?? 1;
  if (quorum > total) {
    adjust(`quorum ${quorum} exceeds the real servers' total weight ${total}; using ${total}`);
    quorum = total;
  }
  let hysteresis = d.hysteresis ?? 0;
  if (hysteresis >= quorum && (d.hysteresis !== undefined || quorum === 0)) {
    if (d.hysteresis !== undefined) adjust(`hysteresis ${hysteresis} must be below quorum ${quorum}; using ${Math.max(quorum - 1, 0)}`);
    hysteresis = Math.max(quorum - 1, 0);
  }
  return {
    loc: d.loc, key: d.key, family: af, protocol, scheduler, schedFlags: d.flags, ops,
    persistenceTimeout, persistenceGranularity: netmask, persistenceEngine: d.persistenceEngine ?? null,
    forwarding: d.forwarding ?? NAT, haSuspend, alpha: d.alpha ?? false, omega: d.omega ?? false,
    quorum, hysteresis, quorumUp: d.quorumUp ?? null, quorumDown: d.quorumDown ?? null,
    sorryServer: sorryServer(d, af, realServers, ctx), inhibitOnFailure: d.inhibit ?? false,
    virtualhost: d.virtualhost ?? null,
    smtpAlert: d.smtpAlert ?? global.smtpAlertChecker ?? global.smtpAlert ?? false,
    delayLoop: d.delayLoop ?? DEFAULT_DELAY_LOOP, connectTimeout: d.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT,
    realServers,
  };
}

export function resolveVirtualServers(drafts: readonly VsDraft[], groups: Groups, global: GlobalDefs, tracked: Files, ctx: Ctx): VirtualServer[] {
  const seen = new Map<string, VirtualServer>();
  for (const d of drafts) {
    const vs = virtualServer(d, groups, global, tracked, ctx.within(d.title));
    if (!vs) continue;
    const id = vsIdentity(vs);
    const first = seen.get(id);
    if (first) ctx.error(CODES.duplicate, d.loc, `${d.title} duplicates the virtual_server at ${first.loc.file}:${first.loc.line}`);
    else seen.set(id, vs);
  }
  return [...seen.values()];
}
