/** The data the VRRP instance reducer (instance.ts) reads and returns: state, events, context and actions. */
import type { IpAddr } from '../model/address.js';
import type { VirtualIp, VrrpInstance } from '../model/config-vrrp.js';
import type { Advert } from './codec/advert.js';

/** RFC 5798 §6.4 states, plus keepalived's FAULT (a tracked object is down). */
export type InstanceStateName = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

/** Absolute Clock times (ms) at which something is due; null = not set. The adapter arms one Clock timer for the earliest. */
export interface Deadlines {
  /** BACKUP: Master_Down_Timer (RFC 5798 §6.2). */
  readonly masterDown: number | null;
  /** MASTER: Adver_Timer. */
  readonly advert: number | null;
  /** MASTER: the second gratuitous ARP burst, garp_master_delay after taking over. */
  readonly garp: number | null;
  /** MASTER: periodic garp_master_refresh. */
  readonly garpRefresh: number | null;
  /** MASTER: the delayed burst after a lower-priority advert (garp_lower_prio_delay). */
  readonly lowerPrioGarp: number | null;
}

export interface InstanceState {
  readonly name: InstanceStateName;
  /** Between startup and shutdown (INIT also holds a started instance whose unweighted scripts have not reported). */
  readonly started: boolean;
  /** keepalived's wantstate == MASTER: this instance would be master but for its sync group. */
  readonly wantMaster: boolean;
  /** The configured priority, except that an owner meeting another owner drops to 254 (keepalived vrrp_state_master_rx). */
  readonly basePriority: number;
  /** Priority sent and compared: base + tracking weights, 1..254 for non-owners (keepalived vrrp_set_effective_priority). */
  readonly effectivePriority: number;
  /** RFC 5798 §6.1: learned from the master's adverts in BACKUP (v3); the own interval otherwise. */
  readonly masterAdverIntMs: number;
  /** The master last heard from, and its priority. */
  readonly masterAddr: IpAddr | null;
  readonly masterPriority: number | null;
  /** keepalived preempt_time: until when a lower-priority master is still accepted (preempt_delay). */
  readonly preemptUntil: number | null;
  readonly vipsSet: boolean;
  /** The latest tracking verdict. */
  readonly track: TrackStatus;
  readonly due: Deadlines;
}

/** What tracking (tracking.ts) says about an instance. */
export interface TrackStatus {
  /** Sum of the weights of tracked objects (added to the base priority). */
  readonly weights: number;
  /** An unweighted tracked object is down, or a weighted file says -254: the instance must be in FAULT. */
  readonly fault: boolean;
  /** An unweighted vrrp_script has not reported yet: keepalived holds the instance in INIT. */
  readonly pending: boolean;
}

/** What the reducer needs to know about the instance's sync group (sync-group.ts computes it). */
export interface GroupView {
  readonly state: 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';
  /** Every other member wants MASTER (keepalived vrrp_sync_can_goto_master). */
  readonly othersWantMaster: boolean;
  /** Another member is itself faulty, so this one stays in FAULT (keepalived num_member_fault). */
  readonly othersFaulty: boolean;
}

export interface StepContext {
  readonly now: number;
  readonly config: VrrpInstance;
  /** The address adverts go out from (unicast_src_ip/mcast_src_ip or the interface's primary): the tie-break. */
  readonly primary: IpAddr | null;
  readonly group: GroupView | null;
}

export type InstanceEvent =
  | { readonly type: 'startup'; readonly track: TrackStatus }
  /** An advert that validate.ts accepted. */
  | { readonly type: 'advert'; readonly advert: Advert; readonly src: IpAddr }
  /** The Clock reached the earliest deadline. */
  | { readonly type: 'timer' }
  | { readonly type: 'shutdown' }
  /** Tracking changed: priority and/or fault. */
  | { readonly type: 'track'; readonly track: TrackStatus }
  /** The configuration was reloaded; ctx.config is the new one. */
  | { readonly type: 'reload'; readonly previous: VrrpInstance }
  /** The sync group moves this member (keepalived vrrp_sync_master/backup/fault). */
  | { readonly type: 'sync'; readonly to: 'MASTER' | 'BACKUP' | 'FAULT' }
  /** The takeover guard (quorum witness / fence) refused a promotion: stay BACKUP, ask again later (null = one Master_Down_Interval). */
  | { readonly type: 'hold'; readonly retryInMs: number | null };

export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP';

export type InstanceAction =
  | { readonly type: 'send-advert'; readonly priority: number }
  /** virtual_ipaddress and virtual_ipaddress_excluded to add on taking over, or to remove on leaving MASTER. */
  | { readonly type: 'add-vips'; readonly vips: readonly VirtualIp[] }
  | { readonly type: 'remove-vips'; readonly vips: readonly VirtualIp[] }
  /** `repeat` gratuitous ARPs / unsolicited NAs for every address set (keepalived vrrp_send_link_update). */
  | { readonly type: 'gratuitous'; readonly repeat: number }
  /** A state change for notify scripts / FIFO: INSTANCE "name" STATE priority. */
  | { readonly type: 'notify'; readonly state: NotifyState; readonly priority: number }
  /** keepalived's extra FIFO events: MASTER_RX_LOWER_PRI, and MASTER_PRIORITY/BACKUP_PRIORITY with notify_priority_changes. */
  | { readonly type: 'notify-event'; readonly event: 'MASTER_RX_LOWER_PRI' | 'MASTER_PRIORITY' | 'BACKUP_PRIORITY'; readonly priority: number };

export interface StepResult {
  readonly state: InstanceState;
  readonly actions: readonly InstanceAction[];
}
