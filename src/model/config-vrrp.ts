/** VRRP configuration, normalized (keepalived vrrp/vrrp_parser.c, defaults and checks from vrrp/vrrp.c). */
import type { Family, IpAddr } from './address.js';
import type { ScriptSpec, SourceLoc, TrackRef } from './config.js';
import type { GarpSettings } from './config-global.js';
import type { QuorumWitness } from './config-witness.js';

export type VrrpState = 'MASTER' | 'BACKUP';

/** One line of virtual_ipaddress / virtual_ipaddress_excluded (`ip addr add` syntax, vrrp_ipaddress.c). */
export interface VirtualIp {
  readonly loc: SourceLoc;
  readonly addr: IpAddr;
  readonly prefix: number;
  /** null = the instance's interface. */
  readonly dev: string | null;
  /** rt_scopes value: 0 global, 200 site, 253 link, 254 host, 255 nowhere. */
  readonly scope: number;
  readonly label: string | null;
  readonly broadcast: IpAddr | null;
  readonly peer: IpAddr | null;
  /** `no_track`: removal of this address does not fault the instance. */
  readonly noTrack: boolean;
  /** Seconds, or 'forever'; v6 /128 defaults to 0 (deprecated), other v6 to forever; null for v4 unset. */
  readonly preferredLft: number | 'forever' | null;
  readonly home: boolean;
  readonly nodad: boolean;
  readonly mngtmpaddr: boolean;
  readonly noprefixroute: boolean;
  readonly autojoin: boolean;
}

export interface UnicastPeer {
  readonly addr: IpAddr;
  readonly minTtl: number;
  readonly maxTtl: number;
}

export interface VrrpAuth {
  readonly type: 'PASS' | 'AH';
  /** At most 8 characters (longer passwords are truncated, as keepalived does). */
  readonly password: string;
}

/** The state-change scripts shared by vrrp_instance and vrrp_sync_group. */
export interface VrrpNotify {
  readonly master: ScriptSpec | null;
  readonly backup: ScriptSpec | null;
  readonly fault: ScriptSpec | null;
  readonly stop: ScriptSpec | null;
  /** `notify`: run for every transition with TYPE NAME STATE PRIORITY appended. */
  readonly any: ScriptSpec | null;
}

/** The track_* lines of an instance or sync group, resolved against what they track. */
export interface Tracking {
  readonly trackInterfaces: readonly TrackRef[];
  readonly trackScripts: readonly TrackRef[];
  readonly trackFiles: readonly TrackRef[];
  readonly trackProcesses: readonly TrackRef[];
}

export interface VrrpInstance extends GarpSettings, Tracking {
  readonly loc: SourceLoc;
  readonly name: string;
  /** Initial state: configured, else MASTER iff priority 255; sync group rules applied. */
  readonly state: VrrpState;
  /** null only for unicast instances with unicast_src_ip. */
  readonly interface: string | null;
  readonly virtualRouterId: number;
  /** 1..255; 255 = address owner. */
  readonly priority: number;
  /** Seconds; whole seconds for v2, multiples of 10 ms for v3. */
  readonly advertInt: number;
  readonly version: 2 | 3;
  readonly family: Family;
  readonly virtualIpaddresses: readonly VirtualIp[];
  readonly virtualIpaddressesExcluded: readonly VirtualIp[];
  readonly dontTrackPrimary: boolean;
  /** mcast_src_ip / unicast_src_ip (keepalived keeps one source address). */
  readonly sourceIp: IpAddr | null;
  readonly trackSourceIp: boolean;
  readonly unicastPeers: readonly UnicastPeer[];
  /** True when advertisements are unicast (a unicast keyword and at least one peer). */
  readonly unicast: boolean;
  readonly unicastTtl: number;
  readonly unicastFaultNoPeer: boolean;
  readonly checkUnicastSrc: boolean;
  /** Multicast destination; null when unicast. */
  readonly mcastDstIp: IpAddr | null;
  readonly authentication: VrrpAuth | null;
  readonly nopreempt: boolean;
  readonly preemptDelay: number;
  readonly accept: boolean;
  readonly strict: boolean;
  readonly skipCheckAdvAddr: boolean;
  readonly promoteSecondaries: boolean;
  readonly downTimerAdverts: number;
  readonly lowerPrioNoAdvert: boolean;
  readonly higherPrioSendAdvert: boolean;
  readonly notify: VrrpNotify;
  /** notify_deleted given (with or without a script): report DELETED rather than STOP on removal. */
  readonly notifyDeleted: boolean;
  readonly notifyDeletedScript: ScriptSpec | null;
  readonly notifyMasterRxLowerPri: ScriptSpec | null;
  readonly notifyPriorityChanges: boolean;
  readonly smtpAlert: boolean;
  readonly syncGroup: string | null;
  readonly kernelRxBufSize: number | null;
  /** lvsd_quorum_witness: consulted before a BACKUP promotes itself; null when not configured. */
  readonly quorumWitness: QuorumWitness | null;
}

export interface VrrpSyncGroup extends Tracking {
  readonly loc: SourceLoc;
  readonly name: string;
  readonly instances: readonly string[];
  readonly notify: VrrpNotify;
  readonly smtpAlert: boolean;
  /** sync_group_tracking_weight (or the deprecated global_tracking): members keep their tracking weights. */
  readonly trackingWeight: boolean;
  readonly notifyPriorityChanges: boolean | null;
}

export interface VrrpScript {
  readonly loc: SourceLoc;
  readonly name: string;
  readonly script: ScriptSpec;
  /** Whole seconds (keepalived 2.2.7 reads an integer). */
  readonly interval: number;
  /** Whole seconds; when not configured keepalived uses the interval. */
  readonly timeout: number;
  /** -253..253; 0 = a failure puts tracking instances in FAULT. */
  readonly weight: number;
  readonly reverse: boolean;
  readonly rise: number;
  readonly fall: number;
  readonly initFail: boolean;
}

/** `track_file NAME { file PATH; weight W [reverse]; init_file [VALUE] [overwrite] }` (trackers/track_file.c). */
export interface TrackFile {
  readonly loc: SourceLoc;
  readonly name: string;
  readonly path: string;
  readonly weight: number;
  readonly reverse: boolean;
  /** Create the file with this value at start ('overwrite' also replaces an existing file). */
  readonly init: { readonly value: number; readonly overwrite: boolean } | null;
}

/** `vrrp_track_process NAME { … }` (vrrp_parser.c vrrp_tprocess_*). */
export interface TrackProcess {
  readonly loc: SourceLoc;
  readonly name: string;
  readonly process: string;
  readonly params: readonly string[];
  readonly paramMatch: 'none' | 'exact' | 'initial' | 'partial';
  readonly fullCommand: boolean;
  readonly weight: number;
  readonly reverse: boolean;
  readonly quorum: number;
  /** null = no upper limit. */
  readonly quorumMax: number | null;
  readonly forkDelay: number;
  readonly terminateDelay: number;
}
