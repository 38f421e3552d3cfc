/**
 * One VRRP instance as a pure reducer: step(state, event, ctx) → { state, actions }. Rules from RFC 5798 §6
 * (RFC 3768 §6 for v2) with keepalived 2.2.7's choices where it differs or adds (vrrp/vrrp.c,
 * vrrp_scheduler.c, vrrp_track.c); each rule names its source. Time only comes in as ctx.now; what is
 * due later is returned as absolute deadlines (state.due) for the adapter to arm on its Clock.
 */
import type { VirtualIp, VrrpInstance } from '../model/config-vrrp.js';
import type { IpAddr } from '../model/address.js';
import type { Advert } from './codec/advert.js';
import { compareAddr } from './codec/addr-bytes.js';
import type { Deadlines, InstanceAction, InstanceEvent, InstanceState, NotifyState, StepContext, StepResult, TrackStatus } from './instance-types.js';
import { masterDownMs, minSkewMs, skewTimeMs } from './timing.js';

/** RFC 5798 §5.2.4: 255 = the address owner, 0 = the master stops. */
const OWNER = 255;
const STOP = 0;
const NONE: Deadlines = { masterDown: null, advert: null, garp: null, garpRefresh: null, lowerPrioGarp: null };

/** The configured interval in ms, through whole µs as keepalived keeps it. */
export const advertIntMs = (c: VrrpInstance): number => Math.round(c.advertInt * 1e6) / 1000;

/** keepalived vrrp_set_effective_priority: an owner's priority never floats; others stay within 1..254. */
export function effectivePriority(base: number, weights: number): number {
  if (base === OWNER) return OWNER;
  return Math.min(Math.max(base + weights, 1), OWNER - 1);
}

export function initialState(config: VrrpInstance): InstanceState {
  return {
    name: 'INIT', started: false, wantMaster: config.state === 'MASTER', basePriority: config.priority,
    effectivePriority: config.priority, masterAdverIntMs: advertIntMs(config), masterAddr: null, masterPriority: null,
    preemptUntil: null, vipsSet: false, track: { weights: 0, fault: false, pending: false }, due: NONE,
  };
}

/** The earliest deadline, for the adapter's one Clock timer. */
export function nextDeadline(s: InstanceState): number | null {
  const times = Object.values(s.due).filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

/** Accumulates one step's state changes and actions. */
class Step {
  readonly actions: InstanceAction[] = [];
  constructor(public s: InstanceState, readonly ctx: StepContext) {}
  get now(): number { return this.ctx.now; }
  get config(): VrrpInstance { return this.ctx.config; }
  set(patch: Partial<InstanceState>): void { this.s = { ...this.s, ...patch }; }
  due(patch: Partial<Deadlines>): void { this.s = { ...this.s, due: { ...this.s.due, ...patch } }; }
  emit(a: InstanceAction): void { this.actions.push(a); }
  /** Master_Down_Interval for the current priority and Master_Adver_Interval. */
  mdi(): number { return masterDownMs(this.config.version, this.s.effectivePriority, this.s.masterAdverIntMs, this.config.downTimerAdverts); }
  skew(): number { return skewTimeMs(this.config.version, this.s.effectivePriority, this.s.masterAdverIntMs); }
  advertise(priority: number): void {
    this.emit({ type: 'send-advert', priority });
    // RFC 5798 §6.4.3: every advert sent restarts the Adver_Timer.
    if (this.s.name === 'MASTER') this.due({ advert: this.now + advertIntMs(this.config) });
  }
  notify(state: NotifyState): void { this.emit({ type: 'notify', state, priority: this.s.effectivePriority }); }
}

const allVips = (c: VrrpInstance): VirtualIp[] => [...c.virtualIpaddresses, ...c.virtualIpaddressesExcluded];
const isOwner = (s: InstanceState) => s.basePriority === OWNER;
/** keepalived: initial state MASTER only counts for the address owner; any other instance starts by listening. */
const ownerWantsMaster = (s: InstanceState, c: VrrpInstance) => isOwner(s) && c.state === 'MASTER';

/** keepalived vrrp_sync_can_goto_master: a member goes MASTER only if its group is MASTER or every other member wants to. */
function groupLetsGo(ctx: StepContext): boolean {
  return !ctx.group || ctx.group.state === 'MASTER' || ctx.group.othersWantMaster;
}

/** RFC 5798 §6.4.2 (Master_Down_Timer fires) / keepalived vrrp_state_goto_master + vrrp_state_become_master. */
function gotoMaster(b: Step, checkGroup: boolean): void {
  if (checkGroup && !groupLetsGo(b.ctx)) {
    // keepalived: wantstate MASTER, wait another Master_Down_Interval for the others to want it too.
    b.set({ wantMaster: true });
    enterBackup(b, b.mdi());
    return;
  }
  const c = b.config;
  const adv = advertIntMs(c);
  b.set({ name: 'MASTER', wantMaster: true, masterAdverIntMs: adv, preemptUntil: null, vipsSet: true });
  b.due({ ...NONE });
  // keepalived vrrp_state_master_tx: the advert goes first so the old master drops the addresses before our GARPs.
  b.advertise(b.s.effectivePriority);
  b.emit({ type: 'add-vips', vips: allVips(c) });
  if (c.garpMasterRepeat > 0) b.emit({ type: 'gratuitous', repeat: c.garpMasterRepeat });
  b.notify('MASTER');
  // keepalived: a second burst garp_master_delay later, and garp_master_refresh periodically.
  b.due({
    garp: c.garpMasterDelay > 0 && c.garpMasterRepeat > 0 ? b.now + c.garpMasterDelay * 1000 : null,
    garpRefresh: c.garpMasterRefresh > 0 ? b.now + c.garpMasterRefresh * 1000 : null,
  });
}

/** Leaves MASTER (RFC 5798 §6.4.3 "transition to Backup"; keepalived vrrp_state_leave_master / vrrp_restore_interface). */
function leaveMaster(b: Step, sendStop: boolean): void {
  // RFC 5798 §6.4.3 / keepalived: priority 0 on shutdown and when a fault takes the master down.
  if (sendStop) b.emit({ type: 'send-advert', priority: STOP });
  if (b.s.vipsSet) b.emit({ type: 'remove-vips', vips: allVips(b.config) });
  b.set({ vipsSet: false });
  b.due({ ...NONE });
}

function enterBackup(b: Step, downMs: number): void {
  const was = b.s.name;
  if (was === 'MASTER') leaveMaster(b, false);
  b.set({ name: 'BACKUP', preemptUntil: was === 'BACKUP' ? b.s.preemptUntil : null });
  b.due({ ...NONE, masterDown: b.now + downMs });
  if (was !== 'BACKUP') b.notify('BACKUP');
}

/** keepalived down_instance / vrrp_sync_fault: a master sends priority 0 on its way to FAULT. */
function enterFault(b: Step): void {
  if (b.s.name === 'FAULT') return;
  if (b.s.name === 'MASTER') leaveMaster(b, true);
  b.set({ name: 'FAULT', wantMaster: false, preemptUntil: null });
  b.due({ ...NONE });
  b.notify('FAULT');
}

/** keepalived try_up_instance + vrrp_state_leave_fault: the owner goes straight back to MASTER, others listen. */
function leaveFault(b: Step): void {
  b.set({ masterAdverIntMs: advertIntMs(b.config), wantMaster: ownerWantsMaster(b.s, b.config) });
  if (b.s.wantMaster) gotoMaster(b, true);
  else enterBackup(b, b.mdi());
}

function startup(b: Step, track: TrackStatus): void {
  b.set({ started: true, track, effectivePriority: effectivePriority(b.s.basePriority, track.weights), masterAdverIntMs: advertIntMs(b.config) });
  b.set({ wantMaster: ownerWantsMaster(b.s, b.config) });
  // keepalived vrrp_init_state: unweighted scripts not yet run hold the instance in INIT, silently.
  if (track.pending) return;
  const group = b.ctx.group;
  if (track.fault || group?.othersFaulty) return enterFault(b);
  // RFC 5798 §6.4.1: the owner (priority 255) goes MASTER at once; keepalived requires its sync group to be MASTER too.
  if (b.s.wantMaster && (!group || group.state === 'MASTER')) return gotoMaster(b, false);
  // RFC 5798 §6.4.1: others wait Master_Down_Interval. keepalived vrrp_init_state: a member that wants MASTER
  // in a BACKUP group waits one interval and the minimum skew, to hear any master first.
  const wait = group?.state === 'BACKUP' && b.config.state === 'MASTER'
    ? b.s.masterAdverIntMs + minSkewMs(b.config.version, b.s.masterAdverIntMs)
    : b.mdi();
  enterBackup(b, wait);
}

/** Due deadlines, the master-down one first (it replaces the others). */
function timer(b: Step): void {
  const due = (t: number | null) => t !== null && t <= b.now;
  const c = b.config;
  if (b.s.name === 'BACKUP' && due(b.s.due.masterDown)) gotoMaster(b, true);
  if (b.s.name !== 'MASTER') return;
  if (due(b.s.due.advert)) b.advertise(b.s.effectivePriority);
  if (due(b.s.due.garp)) {
    b.emit({ type: 'gratuitous', repeat: c.garpMasterRepeat });
    b.due({ garp: null });
  }
  if (due(b.s.due.garpRefresh)) {
    b.emit({ type: 'gratuitous', repeat: c.garpMasterRefreshRepeat });
    b.due({ garpRefresh: b.now + c.garpMasterRefresh * 1000 });
  }
  if (due(b.s.due.lowerPrioGarp)) {
    b.emit({ type: 'gratuitous', repeat: c.garpLowerPrioRepeat });
    b.due({ lowerPrioGarp: null });
  }
}

/**
 * RFC 5798 §6.4.2/§6.4.3: Master_Adver_Interval = the advert's interval (v3). An interval of 0 would make
 * Master_Down_Interval 0 and the backup take over at once on every advert, so a peer sending 0 is not followed.
 */
function learnInterval(b: Step, a: Advert): void {
  if (a.version === 3 && a.advertIntCs > 0) b.set({ masterAdverIntMs: a.advertIntCs * 10 });
}

/** RFC 5798 §6.4.2 Backup receiving an ADVERTISEMENT; keepalived vrrp_state_backup. */
function backupReceives(b: Step, a: Advert, src: IpAddr): void {
  const p = a.priority;
  const c = b.config;
  const eff = b.s.effectivePriority;
  if (p === STOP) {
    // RFC 5798 §6.4.2: priority 0 → Master_Down_Timer = Skew_Time.
    b.due({ masterDown: b.now + b.skew() });
    return;
  }
  const delaying = c.preemptDelay > 0 && (b.s.preemptUntil === null || b.s.preemptUntil > b.now);
  if (c.nopreempt || p >= eff || delaying) {
    // RFC 5798 §6.4.2: v3 learns Master_Adver_Interval from the advert, then resets Master_Down_Timer.
    learnInterval(b, a);
    b.set({ masterAddr: src, masterPriority: p, wantMaster: false });
    b.due({ masterDown: b.now + b.mdi() });
    // keepalived: preempt_delay starts at the first lower-priority advert and stops when a higher one comes.
    if (c.preemptDelay > 0) {
      if (p >= eff) b.set({ preemptUntil: null });
      else if (b.s.preemptUntil === null) b.set({ preemptUntil: b.now + c.preemptDelay * 1000 });
    }
    return;
  }
  // RFC 5798 §6.4.2: preempt and a lower priority → discard; the timer keeps running and we take over.
  b.set({ masterAddr: src });
}

/** RFC 5798 §6.4.3 Master receiving an ADVERTISEMENT; keepalived vrrp_state_master_rx. */
function masterReceives(b: Step, a: Advert, src: IpAddr): void {
  const p = a.priority;
  const c = b.config;
  const cmp = b.ctx.primary ? compareAddr(src, b.ctx.primary) : 0;
  const higher = () => p > b.s.effectivePriority || (p === b.s.effectivePriority && cmp > 0);
  // RFC 5798 §6.4.3: priority 0 → send an advert at once. keepalived higher_prio_send_advert: also before yielding.
  if (p === STOP || (c.higherPrioSendAdvert && higher())) b.advertise(b.s.effectivePriority);
  if (p === STOP) return;
  if (p === b.s.effectivePriority && cmp !== 0 && b.s.basePriority === OWNER) {
    // keepalived: two address owners is a configuration error; this one steps down to 254.
    b.set({ basePriority: OWNER - 1, effectivePriority: OWNER - 1 });
  }
  if (p < b.s.effectivePriority || (p === b.s.effectivePriority && cmp < 0)) {
    // keepalived (not the RFC, which discards): answer at once to force a new election, and re-announce the addresses.
    if (!c.lowerPrioNoAdvert) b.advertise(b.s.effectivePriority);
    if (c.garpLowerPrioRepeat > 0) {
      b.emit({ type: 'gratuitous', repeat: c.garpLowerPrioRepeat });
      if (c.garpLowerPrioDelay > 0) b.due({ lowerPrioGarp: b.now + c.garpLowerPrioDelay * 1000 });
    }
    b.emit({ type: 'notify-event', event: 'MASTER_RX_LOWER_PRI', priority: b.s.effectivePriority });
    return;
  }
  if (higher()) {
    learnInterval(b, a);
    b.set({ masterAddr: src, masterPriority: p, wantMaster: false });
    enterBackup(b, b.mdi());
  }
}

/** keepalived vrrp_set_effective_priority: in BACKUP the running down timer moves by the change of Master_Down_Interval. */
function setPriority(b: Step, base: number, weights: number): void {
  const before = b.mdi();
  const eff = effectivePriority(base, weights);
  const changed = eff !== b.s.effectivePriority;
  b.set({ basePriority: base, effectivePriority: eff });
  if (!changed) return;
  if (b.s.name === 'BACKUP' && b.s.due.masterDown !== null) b.due({ masterDown: b.s.due.masterDown + b.mdi() - before });
  if (b.config.notifyPriorityChanges && (b.s.name === 'MASTER' || b.s.name === 'BACKUP')) {
    b.emit({ type: 'notify-event', event: b.s.name === 'MASTER' ? 'MASTER_PRIORITY' : 'BACKUP_PRIORITY', priority: eff });
  }
}

function tracked(b: Step, track: TrackStatus): void {
  const wasPending = b.s.track.pending;
  b.set({ track });
  setPriority(b, b.s.basePriority, track.weights);
  if (!b.s.started) return;
  if (b.s.name === 'INIT') {
    if (wasPending && !track.pending) startup(b, track);
    return;
  }
  if (track.fault) enterFault(b);
  else if (b.s.name === 'FAULT' && !b.ctx.group?.othersFaulty) leaveFault(b);
}

/** A reload keeps the state (keepalived restore_vrrp_state); a master swaps the addresses that changed. */
function reload(b: Step, previous: VrrpInstance): void {
  const c = b.config;
  const base = b.s.basePriority === previous.priority ? c.priority : b.s.basePriority;
  setPriority(b, base, b.s.track.weights);
  if (b.s.name !== 'MASTER') return;
  const key = (v: VirtualIp) => `${v.addr.text}/${v.prefix}%${v.dev ?? ''}`;
  const before = new Set(allVips(previous).map(key));
  const after = new Set(allVips(c).map(key));
  const gone = allVips(previous).filter((v) => !after.has(key(v)));
  const added = allVips(c).filter((v) => !before.has(key(v)));
  if (gone.length) b.emit({ type: 'remove-vips', vips: gone });
  if (added.length) b.emit({ type: 'add-vips', vips: added });
  b.set({ masterAdverIntMs: advertIntMs(c) });
}

/** keepalived vrrp_sync_master / vrrp_sync_backup / vrrp_sync_fault, as seen by one member. */
function synced(b: Step, to: 'MASTER' | 'BACKUP' | 'FAULT'): void {
  const name = b.s.name;
  if (to === 'FAULT') {
    if (name === 'MASTER' || name === 'BACKUP' || (name === 'INIT' && b.s.started)) enterFault(b);
  } else if (to === 'MASTER') {
    if (name === 'BACKUP') gotoMaster(b, false);
  } else if (name === 'MASTER') {
    b.set({ wantMaster: false });
    enterBackup(b, b.mdi());
  } else if (name === 'FAULT' && !b.s.track.fault) {
    b.set({ masterAdverIntMs: advertIntMs(b.config) });
    enterBackup(b, b.mdi());
  }
}

/** keepalived shutdown_vrrp_instances: a master says priority 0 and removes its addresses; notify STOP. */
function shutdown(b: Step): void {
  if (!b.s.started) return;
  if (b.s.name === 'MASTER') leaveMaster(b, true);
  b.notify('STOP');
  b.set({ name: 'INIT', started: false, wantMaster: false, preemptUntil: null });
  b.due({ ...NONE });
}

export function step(state: InstanceState, event: InstanceEvent, ctx: StepContext): StepResult {
  const b = new Step(state, ctx);
  switch (event.type) {
    case 'startup': if (!state.started) startup(b, event.track); break;
    case 'timer': timer(b); break;
    case 'advert':
      // keepalived vrrp_dispatcher_read: adverts are ignored in FAULT and INIT.
      if (state.name === 'BACKUP') backupReceives(b, event.advert, event.src);
      else if (state.name === 'MASTER') masterReceives(b, event.advert, event.src);
      break;
    case 'track': tracked(b, event.track); break;
    case 'reload': reload(b, event.previous); break;
    case 'sync': synced(b, event.to); break;
    case 'shutdown': shutdown(b); break;
    // lvsd's split-brain defence (no RFC rule): the Master_Down_Timer is re-armed instead of promoting.
    case 'hold': if (state.name === 'BACKUP') b.due({ masterDown: b.now + Math.max(1, event.retryInMs ?? b.mdi()) }); break;
  }
  return { state: b.s, actions: b.actions };
}
