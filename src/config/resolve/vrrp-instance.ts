/**
 * One vrrp_instance draft → VrrpInstance, with keepalived's defaults and corrections
 * (vrrp/vrrp.c vrrp_complete_instance and chk_min_cfg; vrrp_data.c alloc_vrrp for the defaults).
 */
import type { Family, IpAddr } from '../../model/address.js';
import type { GlobalDefs, VrrpInstance, VrrpNotify, VrrpSyncGroup } from '../../model/config.js';
import { CODES, type Ctx } from '../keywords/context.js';
import type { NotifyDraft } from '../keywords/vrrp-common.js';
import type { InstanceDraft } from '../keywords/vrrp-instance.js';
import { resolveTrackRefs, unweighted, type Tracked } from './tracking.js';
import { resolveWitness } from './quorum-witness.js';

/** VRRP_PRIO_OWNER, VRRP_PRIO_DFL (vrrp.h). */
const OWNER = 255;
const DEFAULT_PRIORITY = 100;
/** VRRP_IP_TTL. */
const TTL = 255;

/** The family the addresses imply; addresses of another family are errors (alloc_vrrp_vip). */
function family(d: InstanceDraft, ctx: Ctx): Family {
  const first = d.vips[0]?.addr ?? d.sourceIp ?? d.unicastPeers[0]?.addr ?? d.mcastDstIp;
  const af: Family = first?.af ?? 4;
  const check = (a: IpAddr | undefined, what: string, loc = d.loc) => {
    if (a && a.af !== af) ctx.error(CODES.value, loc, `${what} ${a.text} is IPv${a.af} but the instance is IPv${af}`);
  };
  d.vips.forEach((v) => check(v.addr, 'virtual_ipaddress', v.loc));
  check(d.sourceIp, 'the source address');
  d.unicastPeers.forEach((p) => check(p.addr, 'unicast_peer'));
  check(d.mcastDstIp, 'mcast_dst_ip');
  return af;
}

/** v2 adverts carry whole seconds (≤255), v3 centiseconds (≤40.95 s): keepalived rounds with a warning. */
function advertInt(d: InstanceDraft, version: 2 | 3, ctx: Ctx): number {
  const want = d.advertInt ?? 1;
  // In µs, as keepalived computes it: round half up to the unit, at least one unit, at most the field's range.
  const unit = version === 2 ? 1_000_000 : 10_000;
  const max = version === 2 ? 255_000_000 : 40_950_000;
  const us = Math.round(want * 1e6);
  const v = Math.min(Math.max(Math.floor((us + unit / 2) / unit) * unit, unit), max) / 1e6;
  if (v !== want) ctx.warn(CODES.adjusted, d.loc, `advert_int ${want} is not valid for VRRPv${version} (${version === 2 ? 'whole seconds up to 255' : '10 ms steps up to 40.95'}); using ${v}`);
  return v;
}

/** The notify_* scripts of an instance or sync group draft. */
export const notifyOf = (d: NotifyDraft): VrrpNotify => ({
  master: d.notifyMaster ?? null, backup: d.notifyBackup ?? null, fault: d.notifyFault ?? null, stop: d.notifyStop ?? null, any: d.notify ?? null,
});

export function resolveInstance(d: InstanceDraft, global: GlobalDefs, tracked: Tracked, group: VrrpSyncGroup | null, ctx: Ctx): VrrpInstance | null {
  const g = global.vrrp;
  const adjust = (text: string) => ctx.warn(CODES.adjusted, d.loc, text);
  if (d.vrid === undefined) {
    ctx.missing('virtual_router_id', d.loc, 'virtual_router_id is required');
    return null;
  }
  const af = family(d, ctx);
  const strict = d.strict ?? g.strict;
  let version: 2 | 3 = d.version ?? (af === 6 ? 3 : g.version);
  if (af === 6 && version === 2 && strict) {
    adjust('IPv6 cannot use VRRP version 2 in strict mode; using version 3');
    version = 3;
  }
  if (d.vips.length === 0 && !ctx.wasRejected('virtual_ipaddress')) {
    if (version === 3 || strict) ctx.error(CODES.missing, d.loc, 'needs at least one virtual_ipaddress');
    else adjust('has no virtual_ipaddress');
  }

  const unicast = d.unicastConfigured && d.unicastPeers.length > 0;
  if (d.unicastConfigured && !unicast && !d.unicastFaultNoPeer && !ctx.wasRejected('unicast_peer')) {
    ctx.warn(CODES.deprecated, d.loc, 'has a unicast keyword but no unicast_peer; it uses multicast (deprecated usage)');
  }
  if (strict && unicast) ctx.error(CODES.value, d.loc, 'unicast peers are not allowed in strict mode');
  if (d.interface === undefined) {
    if (!unicast) ctx.missing('interface', d.loc, 'needs an interface (only unicast instances may omit it)');
    else if (!d.sourceIp) ctx.error(CODES.missing, d.loc, 'unicast instances without an interface need unicast_src_ip');
    else if (d.sourceIp.af === 6 && d.sourceIp.text.startsWith('fe80')) ctx.error(CODES.value, d.loc, 'an instance without an interface needs a non link-local source address');
  }
  for (const v of [...d.vips, ...d.evips]) if (v.dev) ctx.checkInterface(v.dev, v.loc, 'virtual_ipaddress dev');

  // Priority from state when unset, state from priority when unset; strict mode insists they agree.
  const priority = d.priority ?? (d.state === 'MASTER' ? OWNER : DEFAULT_PRIORITY);
  let state = d.state ?? (priority === OWNER ? 'MASTER' : 'BACKUP');
  if (strict && (state === 'MASTER') !== (priority === OWNER)) {
    adjust('in strict mode state MASTER requires priority 255; the state follows the priority');
    state = priority === OWNER ? 'MASTER' : 'BACKUP';
  }

  let auth = d.authType ? { type: d.authType, password: d.authPass ?? '' } : null;
  if (auth) {
    const why = strict ? 'strict mode does not allow authentication'
      : version === 3 ? 'VRRP version 3 has no authentication'
      : !auth.password ? 'authentication has no auth_pass'
      : af === 6 && auth.type === 'AH' ? 'AH authentication cannot be used with IPv6' : null;
    if (why) {
      adjust(`${why}; authentication is ignored`);
      auth = null;
    } else if (auth.type === 'AH' && state === 'MASTER' && priority !== OWNER) {
      adjust('initial state MASTER does not work with AH authentication; starting as BACKUP');
      state = 'BACKUP';
    }
  }

  let nopreempt = d.nopreempt ?? false;
  let preemptDelay = d.preemptDelay ?? 0;
  if (nopreempt && (priority === OWNER || state === 'MASTER')) {
    adjust(`nopreempt does not work with ${priority === OWNER ? 'priority 255' : 'initial state MASTER'}; it is cleared`);
    nopreempt = false;
  }
  if (preemptDelay && (state === 'MASTER' || strict || nopreempt)) {
    adjust(`preempt_delay does not work with ${state === 'MASTER' ? 'initial state MASTER' : strict ? 'strict mode' : 'nopreempt'}; it is cleared`);
    preemptDelay = 0;
  }
  let downTimerAdverts = d.downTimerAdverts ?? g.downTimerAdverts;
  if (strict && downTimerAdverts !== 3) {
    adjust('down_timer_adverts must be 3 in strict mode');
    downTimerAdverts = 3;
  }
  let accept = d.accept ?? (priority === OWNER ? true : !strict);
  if (accept && priority !== OWNER && strict && version === 2) {
    adjust('accept mode for VRRPv2 does not comply with RFC 3768 in strict mode; it is cleared');
    accept = false;
  }
  if (unicast && d.mcastDstIp) adjust('mcast_dst_ip is ignored with unicast peers');
  if (!unicast && d.unicastTtl !== undefined) adjust('unicast_ttl is ignored without unicast peers');

  // In strict mode lower-priority GARPs are off and lower-priority adverts are not sent (vrrp_complete_instance).
  const strictly = <T>(value: T | undefined, strictValue: T, dflt: T, name: string): T => {
    if (!strict) return value ?? dflt;
    if (value !== undefined && value !== strictValue) adjust(`${name} is not allowed in strict mode; using ${String(strictValue)}`);
    return strictValue;
  };

  let refs = resolveTrackRefs(d, tracked, ctx);
  if (group && !group.trackingWeight) refs = unweighted(refs, 'a sync group', ctx, d.loc);
  else if (priority === OWNER) refs = unweighted(refs, 'the address owner', ctx, d.loc);

  const advertIntS = advertInt(d, version, ctx);
  return {
    loc: d.loc, name: d.name, state, interface: d.interface ?? null, virtualRouterId: d.vrid, priority,
    advertInt: advertIntS, version, family: af,
    virtualIpaddresses: d.vips.filter((v) => v.addr.af === af), virtualIpaddressesExcluded: d.evips,
    ...refs,
    dontTrackPrimary: d.dontTrackPrimary ?? false,
    sourceIp: d.sourceIp ?? null, trackSourceIp: (d.trackSourceIp ?? false) && d.sourceIp !== undefined,
    unicastPeers: d.unicastPeers, unicast, unicastTtl: d.unicastTtl ?? TTL,
    unicastFaultNoPeer: d.unicastFaultNoPeer ?? false,
    checkUnicastSrc: d.checkUnicastSrc ?? (d.unicastPeers.some((p) => p.minTtl !== 0 || p.maxTtl !== 255) || g.checkUnicastSrc),
    mcastDstIp: unicast ? null : d.mcastDstIp ?? (af === 4 ? g.mcastGroup4 : g.mcastGroup6),
    authentication: auth, nopreempt, preemptDelay, accept, strict,
    skipCheckAdvAddr: d.skipCheckAdvAddr ?? g.skipCheckAdvAddr,
    promoteSecondaries: d.promoteSecondaries ?? false,
    garpMasterDelay: d.garpMasterDelay ?? g.garpMasterDelay,
    garpMasterRepeat: d.garpMasterRepeat ?? g.garpMasterRepeat,
    garpMasterRefresh: d.garpMasterRefresh ?? g.garpMasterRefresh,
    garpMasterRefreshRepeat: d.garpMasterRefreshRepeat ?? g.garpMasterRefreshRepeat,
    garpLowerPrioDelay: strictly(d.garpLowerPrioDelay, 0, g.garpLowerPrioDelay, 'garp_lower_prio_delay'),
    garpLowerPrioRepeat: strictly(d.garpLowerPrioRepeat, 0, g.garpLowerPrioRepeat, 'garp_lower_prio_repeat'),
    downTimerAdverts,
    lowerPrioNoAdvert: strictly(d.lowerPrioNoAdvert, true, g.lowerPrioNoAdvert, 'lower_prio_no_advert off'),
    higherPrioSendAdvert: strictly(d.higherPrioSendAdvert, false, g.higherPrioSendAdvert, 'higher_prio_send_advert'),
    notify: notifyOf(d),
    notifyDeleted: d.notifyDeleted ?? false,
    notifyDeletedScript: d.notifyDeletedScript ?? null,
    notifyMasterRxLowerPri: d.notifyMasterRxLowerPri ?? null,
    notifyPriorityChanges: d.notifyPriorityChanges ?? group?.notifyPriorityChanges ?? g.notifyPriorityChanges,
    smtpAlert: d.smtpAlert ?? global.smtpAlertVrrp ?? global.smtpAlert ?? false,
    syncGroup: group?.name ?? null,
    kernelRxBufSize: d.kernelRxBufSize ?? null,
    quorumWitness: d.witness ? resolveWitness(d.witness, advertIntS, ctx) : null,
  };
}
