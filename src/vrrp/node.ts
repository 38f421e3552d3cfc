/**
 * The VRRP instances of one node, driven on a Clock: arms one timer per instance for its earliest
 * deadline, validates and dispatches received adverts, feeds tracking changes, keeps sync groups together,
 * and turns the reducer's actions into effects — adverts already encoded (the transport only sends bytes),
 * address changes, gratuitous ARP/NA, notifications. Transport-free and pure but for the Clock it is given.
 */
import type { IpAddr } from '../model/address.js';
import type { VrrpInstance, VrrpSyncGroup } from '../model/config-vrrp.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { GuardHold, TakeoverGuard } from '../ports/takeover-guard.js';
import { AUTH_DATA_LEN, AUTH_NONE, AUTH_TYPE_CODE, encodeAdvert, passAuthData, type Advert } from './codec/advert.js';
import type { InstanceAction, InstanceEvent, InstanceState, TrackStatus } from './instance-types.js';
import { advertIntMs, initialState, nextDeadline, step } from './instance.js';
import { afterTransition, groupView, initialGroupState, type GroupStateName } from './sync-group.js';
import { trackStatus, type TrackInputs } from './tracking.js';
import { shouldCheckAddrs, validateAdvert, type Received, type Rejection } from './validate.js';

/** An advert ready for the wire: send `payload` from src to dst with this TTL / hop limit. */
export interface OutPacket {
  readonly src: IpAddr;
  readonly dst: IpAddr;
  readonly ttl: number;
  readonly payload: Uint8Array;
}

export type NodeEffect =
  | { readonly kind: 'send'; readonly instance: string; readonly priority: number; readonly packet: OutPacket }
  /** Every other action of the reducer, as it came (add/remove VIPs, gratuitous, notify, notify-event). */
  | { readonly kind: 'instance'; readonly instance: string; readonly action: Exclude<InstanceAction, { type: 'send-advert' }> }
  | { readonly kind: 'group'; readonly group: string; readonly state: GroupStateName }
  /** The takeover guard held a promotion back (split-brain defence). */
  | { readonly kind: 'held'; readonly instance: string; readonly hold: GuardHold };

export interface NodeOptions {
  readonly clock: Clock;
  readonly instances: readonly VrrpInstance[];
  readonly groups: readonly VrrpSyncGroup[];
  /** The source address of an instance's adverts: unicast_src_ip / mcast_src_ip, else its interface's primary address. */
  readonly primary: (inst: VrrpInstance) => IpAddr | null;
  readonly effects: (e: NodeEffect) => void;
  /** Asked before a BACKUP with an lvsd_quorum_witness promotes itself on its Master_Down_Timer. */
  readonly guard?: TakeoverGuard;
}

interface Slot {
  config: VrrpInstance;
  state: InstanceState;
  timer: TimerHandle | null;
  armedAt: number | null;
  readonly rejected: Map<Rejection, number>;
  /** Adverts read for this instance, valid or not (keepalived stats->advert_rcvd, the exporter's advertisements_received). */
  received: number;
  /** The Master_Down deadline the guard is being asked about, while it is. */
  asking: number | null;
  readonly held: Map<string, number>;
}

const EMPTY_AUTH = new Uint8Array(AUTH_DATA_LEN);

export class VrrpNode {
  private readonly slots = new Map<string, Slot>();
  private readonly groupOf = new Map<string, VrrpSyncGroup>();
  private readonly groupState = new Map<string, GroupStateName>();
  private inputs: TrackInputs = { interfaces: new Map(), scripts: new Map(), files: new Map(), processes: new Map() };
  /** Events waiting to be stepped: a step may move sync-group partners, which are stepped after it. */
  private readonly queue: Array<[string, InstanceEvent]> = [];
  private running = false;
  /** Adverts for no VRID here (keepalived drops them before any instance). */
  unknownVrid = 0;

  constructor(private readonly o: NodeOptions) {
    for (const c of o.instances) this.slots.set(c.name, { config: c, state: initialState(c), timer: null, armedAt: null, rejected: new Map(), received: 0, asking: null, held: new Map() });
    for (const g of o.groups) {
      for (const m of g.instances) this.groupOf.set(m, g);
      this.groupState.set(g.name, initialGroupState(o.instances.filter((i) => g.instances.includes(i.name))));
    }
  }

  state(name: string): InstanceState {
    return this.slot(name).state;
  }

  group(name: string): GroupStateName | undefined {
    return this.groupState.get(name);
  }

  /** How many adverts each rule rejected for an instance. */
  rejections(name: string): ReadonlyMap<Rejection, number> {
    return this.slot(name).rejected;
  }

  /** How many adverts arrived for an instance while it read them (BACKUP or MASTER), valid or not. */
  received(name: string): number {
    return this.slot(name).received;
  }

  /** How many promotions the takeover guard held back for an instance, by reason. */
  holds(name: string): ReadonlyMap<string, number> {
    return this.slot(name).held;
  }

  /** Starts every instance with the tracking state as it is now. */
  start(inputs: TrackInputs): void {
    this.inputs = inputs;
    for (const [name, s] of this.slots) this.enqueue(name, { type: 'startup', track: this.statusOf(s.config) });
  }

  /** New tracking inputs (interface, script, file, process states): instances whose verdict changed are told. */
  updateTracking(inputs: TrackInputs): void {
    this.inputs = inputs;
    for (const [name, s] of this.slots) {
      const t = this.statusOf(s.config);
      const was = s.state.track;
      if (t.weights !== was.weights || t.fault !== was.fault || t.pending !== was.pending) this.enqueue(name, { type: 'track', track: t });
    }
  }

  /** An advert for `family` arrived on `iface` (null for unicast instances without one). */
  receive(p: Received, family: 4 | 6, iface: string | null): void {
    const vrid = p.payload.length > 1 ? p.payload[1] : undefined;
    const candidates = [...this.slots.values()].filter((s) => s.config.virtualRouterId === vrid && s.config.family === family && (iface === null || s.config.interface === iface));
    // keepalived VRRP_FLAG_UNICAST_DUPLICATE_VRID: unicast instances may share a VRID; the sender picks the one it peers with.
    const slot = candidates.length > 1 ? candidates.find((s) => s.config.unicastPeers.some((u) => u.addr.text === p.src.text)) ?? candidates[0] : candidates[0];
    if (!slot) {
      this.unknownVrid++;
      return;
    }
    // keepalived vrrp_dispatcher_read: nothing is read in FAULT or INIT.
    if (slot.state.name !== 'BACKUP' && slot.state.name !== 'MASTER') return;
    slot.received++;
    const checkAddrs = slot.state.name === 'MASTER' || shouldCheckAddrs(slot.config, slot.state.masterAddr, p.src);
    const r = validateAdvert(p, slot.config, checkAddrs);
    if (!r.ok) {
      slot.rejected.set(r.reason, (slot.rejected.get(r.reason) ?? 0) + 1);
      return;
    }
    this.enqueue(slot.config.name, { type: 'advert', advert: r.advert, src: p.src });
  }

  /** Reloaded configuration for instances that are the same (name, VRID, family); their state is kept. */
  reload(configs: readonly VrrpInstance[]): void {
    for (const c of configs) {
      const s = this.slots.get(c.name);
      if (!s || s.config.virtualRouterId !== c.virtualRouterId || s.config.family !== c.family) continue;
      const previous = s.config;
      s.config = c;
      this.enqueue(c.name, { type: 'reload', previous });
    }
  }

  /** Stops every instance: masters send priority 0 and release their addresses. */
  stop(): void {
    for (const name of this.slots.keys()) this.enqueue(name, { type: 'shutdown' });
  }

  private statusOf(c: VrrpInstance): TrackStatus {
    return trackStatus(c, this.groupOf.get(c.name) ?? null, this.inputs);
  }

  private slot(name: string): Slot {
    const s = this.slots.get(name);
    if (!s) throw new Error(`no VRRP instance ${name}`);
    return s;
  }

  private enqueue(name: string, e: InstanceEvent): void {
    this.queue.push([name, e]);
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) this.apply(next[0], next[1]);
    } finally {
      this.running = false;
    }
  }

  private apply(name: string, e: InstanceEvent): void {
    const s = this.slot(name);
    const group = this.groupOf.get(name) ?? null;
    const members = group ? new Map(group.instances.map((m) => [m, this.slot(m).state] as const)) : null;
    const view = group && members ? groupView(this.groupState.get(group.name)!, name, members) : null;
    const from = s.state.name;
    const r = step(s.state, e, { now: this.o.clock.now(), config: s.config, primary: this.o.primary(s.config), group: view });
    s.state = r.state;
    for (const a of r.actions) this.perform(s, a);
    this.arm(s);
    if (group && members && from !== r.state.name) {
      members.set(name, r.state);
      const move = afterTransition(group, this.groupState.get(group.name)!, name, from, r.state.name, members);
      this.groupState.set(group.name, move.state);
      if (move.changed && move.state !== 'INIT') this.o.effects({ kind: 'group', group: group.name, state: move.state });
      for (const m of move.moves) this.queue.push([m.member, { type: 'sync', to: m.to }]);
    }
  }

  private perform(s: Slot, a: InstanceAction): void {
    if (a.type !== 'send-advert') {
      this.o.effects({ kind: 'instance', instance: s.config.name, action: a });
      return;
    }
    const src = this.o.primary(s.config);
    // keepalived puts an instance without a source address in FAULT; here it simply cannot send.
    if (!src) return;
    const c = s.config;
    const dsts = c.unicast ? c.unicastPeers.map((p) => p.addr) : c.mcastDstIp ? [c.mcastDstIp] : [];
    const ttl = c.unicast ? c.unicastTtl : 255;
    for (const dst of dsts) {
      const payload = encodeAdvert(advertFor(c, a.priority), { src, dst });
      this.o.effects({ kind: 'send', instance: c.name, priority: a.priority, packet: { src, dst, ttl, payload } });
    }
  }

  private arm(s: Slot): void {
    const at = nextDeadline(s.state);
    if (at === s.armedAt) return;
    if (s.timer) this.o.clock.clearTimer(s.timer);
    s.timer = null;
    s.armedAt = at;
    if (at === null) return;
    s.timer = this.o.clock.setTimer(Math.max(0, at - this.o.clock.now()), () => {
      s.timer = null;
      s.armedAt = null;
      if (this.needsApproval(s)) this.askGuard(s, this.o.guard!);
      else this.enqueue(s.config.name, { type: 'timer' });
    });
  }

  /** A BACKUP with a witness whose Master_Down_Timer is due: the promotion waits for the guard. */
  private needsApproval(s: Slot): boolean {
    const down = s.state.due.masterDown;
    return this.o.guard !== undefined && s.config.quorumWitness !== null && s.state.name === 'BACKUP' && down !== null && down <= this.o.clock.now();
  }

  private askGuard(s: Slot, guard: TakeoverGuard): void {
    const asked = s.state.due.masterDown;
    if (s.asking === asked) return; // re-armed by another event while the guard is still deciding
    s.asking = asked;
    const settle = (v: Awaited<ReturnType<TakeoverGuard['approve']>>): void => {
      if (s.asking === asked) s.asking = null;
      // An advert, a stop or a state change since the question makes the answer moot.
      if (s.state.name !== 'BACKUP' || s.state.due.masterDown !== asked) return;
      if (v.allow) return this.enqueue(s.config.name, { type: 'timer' });
      s.held.set(v.reason, (s.held.get(v.reason) ?? 0) + 1);
      this.o.effects({ kind: 'held', instance: s.config.name, hold: v });
      this.enqueue(s.config.name, { type: 'hold', retryInMs: v.retryInMs });
    };
    guard.approve(s.config, s.state.effectivePriority).then(settle, (e: unknown) => settle({
      allow: false, reason: 'guard-failed', detail: e instanceof Error ? e.message : String(e), retryInMs: null,
    }));
  }
}

/** The advert an instance sends (RFC 3768 §5.1 / RFC 5798 §5.1); v2 carries the configured authentication. */
export function advertFor(c: VrrpInstance, priority: number): Advert {
  const base = { vrid: c.virtualRouterId, priority, addrs: c.virtualIpaddresses.map((v) => v.addr) };
  if (c.version === 3) return { ...base, version: 3, advertIntCs: Math.round(advertIntMs(c) / 10) };
  const auth = c.authentication;
  return {
    ...base, version: 2, advertIntSec: c.advertInt,
    authType: auth ? AUTH_TYPE_CODE[auth.type] : AUTH_NONE,
    authData: auth?.type === 'PASS' ? passAuthData(auth.password) : EMPTY_AUTH,
  };
}
