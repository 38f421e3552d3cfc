/** vrrp_instance keywords (keepalived vrrp/vrrp_parser.c init_vrrp_keywords, vrrp_instance part). */
import { parseIp, type IpAddr } from '../../model/address.js';
import type { ScriptSpec, SourceLoc, UnicastPeer, VirtualIp, VrrpState } from '../../model/config.js';
import type { ConfigNode } from '../tree.js';
import { CODES, type Ctx } from './context.js';
import { applyBlock, keywordsFor, type Entry, type Table } from './table.js';
import { vipLine } from './vip.js';
import { NOTIFY_KEYWORDS, TRACKING_KEYWORDS, garpKeywords, newTracking, type NotifyDraft, type TrackingDraft } from './vrrp-common.js';
import { bad, flag, ip, ok, oneOf, parseInteger, script, seconds, uint, word, type ValueParser } from './values.js';
import type { GarpSettings } from '../../model/config-global.js';
import { WITNESS_KEYWORDS, newWitnessDraft, type WitnessDraft } from './quorum-witness.js';

export interface InstanceDraft extends TrackingDraft, NotifyDraft, Partial<GarpSettings> {
  readonly loc: SourceLoc;
  readonly name: string;
  state?: VrrpState;
  interface?: string;
  vrid?: number;
  priority?: number;
  advertInt?: number;
  version?: 2 | 3;
  vips: VirtualIp[];
  evips: VirtualIp[];
  dontTrackPrimary?: boolean;
  sourceIp?: IpAddr;
  trackSourceIp?: boolean;
  /** Any unicast keyword seen (VRRP_FLAG_UNICAST_CONFIGURED). */
  unicastConfigured: boolean;
  unicastPeers: UnicastPeer[];
  unicastTtl?: number;
  unicastFaultNoPeer?: boolean;
  checkUnicastSrc?: boolean;
  mcastDstIp?: IpAddr;
  authType?: 'PASS' | 'AH';
  authPass?: string;
  nopreempt?: boolean;
  preemptDelay?: number;
  accept?: boolean;
  strict?: boolean;
  skipCheckAdvAddr?: boolean;
  promoteSecondaries?: boolean;
  downTimerAdverts?: number;
  lowerPrioNoAdvert?: boolean;
  higherPrioSendAdvert?: boolean;
  notifyDeleted?: boolean;
  notifyDeletedScript?: ScriptSpec;
  notifyMasterRxLowerPri?: ScriptSpec;
  kernelRxBufSize?: number;
  /** The deprecated per-instance lvs_sync_daemon_interface (becomes the global lvs_sync_daemon). */
  lvsSyncInterface?: { name: string; loc: SourceLoc };
  /** lvsd's lvsd_quorum_witness block. */
  witness?: WitnessDraft;
}

export function newInstanceDraft(node: ConfigNode, ctx: Ctx): { draft: InstanceDraft; ctx: Ctx } | null {
  const name = node.args[0];
  if (name === undefined || node.args.length !== 1) {
    ctx.error(CODES.missing, node.loc, 'vrrp_instance must have exactly one name');
    return null;
  }
  const draft: InstanceDraft = { loc: node.loc, name, vips: [], evips: [], unicastConfigured: false, unicastPeers: [], ...newTracking() };
  return { draft, ctx: ctx.within(`vrrp_instance ${name}`) };
}

const k = keywordsFor<InstanceDraft>();

/** `ADDR [min_ttl N] [max_ttl N]` (vrrp_data.c alloc_vrrp_unicast_peer). */
const peerLine: ValueParser<UnicastPeer> = (words) => {
  const addr = parseIp(words[0] ?? '');
  if (!addr) return bad(`"${words[0] ?? ''}" is not an IPv4 or IPv6 address`);
  const p = { addr, minTtl: 0, maxTtl: 255 };
  for (let i = 1; i < words.length; i += 2) {
    const n = parseInteger(words[i + 1] ?? '', false);
    if ((words[i] !== 'min_ttl' && words[i] !== 'max_ttl') || n === null || n > 255) return bad(`has "${words.slice(i, i + 2).join(' ')}"; options are min_ttl N and max_ttl N with N from 0 to 255`);
    if (words[i] === 'min_ttl') p.minTtl = n;
    else p.maxTtl = n;
  }
  return ok(p);
};

/** A unicast keyword: sets the flag, then behaves as entry (vrrp_parser.c sets VRRP_FLAG_UNICAST_CONFIGURED). */
const unicast = (entry: Entry<InstanceDraft>) =>
  k.custom((d, node, ctx) => { d.unicastConfigured = true; entry.handle(d, node, ctx); }, entry.block);

/** mcast_dst_ip must be multicast (IPv6: link-local scope ffX2::). */
const mcastDst: ValueParser<IpAddr> = (args) => {
  const a = ip(args);
  if (!a.ok) return a;
  const m = a.value.af === 4 ? /^2(2[4-9]|3\d)\./.test(a.value.text) : /^ff[0-9a-f]2:/.test(a.value.text);
  return m ? a : bad(`must be a multicast address${a.value.af === 6 ? ' of link-local scope (ffX2::)' : ''}, not "${args[0]}"`);
};

const AUTH_KEYWORDS: Table<InstanceDraft> = {
  auth_type: k.value('authType', oneOf({ PASS: 'PASS', AH: 'AH' } as const)),
  auth_pass: k.custom((d, node, ctx) => {
    const p = node.args[0];
    if (p === undefined) return ctx.invalid(node, 'needs a password');
    if (p.length > 8) ctx.warn(CODES.adjusted, node.loc, 'auth_pass is longer than 8 characters and is truncated');
    d.authPass = p.slice(0, 8);
  }),
};

const VMAC = 'lvsd does not create VMAC/ipvlan interfaces; advertisements use the interface itself';

export const VRRP_INSTANCE_KEYWORDS: Table<InstanceDraft> = {
  ...TRACKING_KEYWORDS,
  ...NOTIFY_KEYWORDS,
  state: k.custom((d, node, ctx) => {
    const r = oneOf({ MASTER: 'MASTER', BACKUP: 'BACKUP' } as const)(node.args);
    if (!r.ok) return ctx.invalid(node, r.error);
    // vrrp_state_handler: once MASTER, a later BACKUP is ignored.
    if (d.state === 'MASTER' && r.value === 'BACKUP') ctx.warn(CODES.adjusted, node.loc, 'state was already MASTER; BACKUP is ignored');
    else d.state = r.value;
  }),
  interface: k.custom((d, node, ctx) => {
    const r = word(node.args);
    if (!r.ok) return ctx.invalid(node, r.error);
    if (r.value.length >= 16) return ctx.invalid(node, `name "${r.value}" is longer than 15 characters`);
    d.interface = r.value;
    ctx.checkInterface(r.value, node.loc, 'vrrp_instance interface');
  }),
  virtual_router_id: k.value('vrid', uint(1, 255)),
  priority: k.value('priority', uint(1, 255)),
  advert_int: k.value('advertInt', seconds(0.01, 255)),
  version: k.value('version', oneOf({ 2: 2, 3: 3 } as const)),
  virtual_ipaddress: k.lines(vipLine, (d, v, line) => d.vips.push({ ...v, loc: line.loc })),
  virtual_ipaddress_excluded: k.lines(vipLine, (d, v, line) => d.evips.push({ ...v, loc: line.loc })),
  dont_track_primary: k.value('dontTrackPrimary', flag),
  mcast_src_ip: k.value('sourceIp', ip),
  unicast_src_ip: unicast(k.value('sourceIp', ip)),
  track_src_ip: k.value('trackSourceIp', flag),
  unicast_peer: unicast(k.lines(peerLine, (d, p) => d.unicastPeers.push(p))),
  unicast_ttl: k.value('unicastTtl', uint(0, 255)),
  unicast_fault_no_peer: unicast(k.value('unicastFaultNoPeer', flag)),
  check_unicast_src: unicast(k.value('checkUnicastSrc', flag)),
  mcast_dst_ip: k.value('mcastDstIp', mcastDst),
  authentication: k.custom((d, node, ctx) => applyBlock(AUTH_KEYWORDS, node.children, d, ctx), 'required'),
  nopreempt: k.custom((d) => { d.nopreempt = true; }),
  preempt: k.custom((d) => { d.nopreempt = false; }),
  preempt_delay: k.value('preemptDelay', seconds(0, 1000)),
  accept: k.custom((d) => { d.accept = true; }),
  no_accept: k.custom((d) => { d.accept = false; }),
  strict_mode: k.value('strict', flag),
  skip_check_adv_addr: k.value('skipCheckAdvAddr', flag),
  promote_secondaries: k.value('promoteSecondaries', flag),
  ...garpKeywords(''),
  down_timer_adverts: k.value('downTimerAdverts', uint(1, 100)),
  lower_prio_no_advert: k.value('lowerPrioNoAdvert', flag),
  higher_prio_send_advert: k.value('higherPrioSendAdvert', flag),
  notify_deleted: k.custom((d, node, ctx) => {
    d.notifyDeleted = true;
    if (node.args.length === 0) return;
    const r = script(node.args);
    if (r.ok) d.notifyDeletedScript = r.value;
    else ctx.invalid(node, r.error);
  }, 'none', true),
  notify_master_rx_lower_pri: k.once('notifyMasterRxLowerPri', script),
  kernel_rx_buf_size: k.value('kernelRxBufSize', uint(0, 0xffffffff)),
  lvsd_quorum_witness: k.block(newWitnessDraft, WITNESS_KEYWORDS, (d, w, node, ctx) => {
    if (d.witness) ctx.error(CODES.value, node.loc, 'lvsd_quorum_witness is given twice; an instance has one witness');
    else d.witness = w;
  }),
  lvs_sync_daemon_interface: k.deprecated(k.custom((d, node, ctx) => {
    const r = word(node.args);
    if (r.ok) d.lvsSyncInterface = { name: r.value, loc: node.loc };
    else ctx.invalid(node, r.error);
  }), 'use lvs_sync_daemon in global_defs'),
  ...k.ignoring(VMAC, ['use_vmac', 'use_vmac_addr', 'vmac_xmit_base', 'use_ipvlan', 'garp_extra_if', 'vmac_garp_intvl']),
  ...k.ignoring('lvsd does not install routes or policy rules', ['virtual_routes', 'virtual_rules']),
  vrf: k.ignored('lvsd does not bind VRRP to a VRF'),
  linkbeat_use_polling: k.ignored('lvsd follows link state through netlink'),
  native_ipv6: k.ignored('deprecated in keepalived; the family follows the addresses'),
  old_unicast_checksum: k.ignored('lvsd computes RFC checksums only'),
  debug: k.ignored('unimplemented in keepalived too'),
};
