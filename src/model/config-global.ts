/** global_defs, normalized (keepalived core/global_parser.c, defaults from core/global_data.c). */
import type { IpAddr } from './address.js';
import type { ScriptSpec } from './config.js';

export interface SmtpServer {
  /** An IP literal or a host name (keepalived resolves names at start). */
  readonly host: string;
  readonly port: number;
}

/** notify_fifo / vrrp_notify_fifo / lvs_notify_fifo and their _script companions. */
export interface NotifyFifo {
  /** null = only a _script was given: keepalived then creates a temporary FIFO for it. */
  readonly path: string | null;
  readonly user: string | null;
  readonly group: string | null;
  /** Run with the FIFO name appended as its last argument (keepalived add_script_param). */
  readonly script: ScriptSpec | null;
}

/** `lvs_sync_daemon IF [inst VI] [id N] [maxlen N] [port N] [ttl N] [group IP]`. */
export interface LvsSyncDaemon {
  readonly interface: string;
  /** Run only while this VRRP instance is MASTER; null = master and backup daemons both run. */
  readonly instance: string | null;
  /** null = the instance's VRID (or 0 without an instance). */
  readonly syncId: number | null;
  readonly maxLen: number | null;
  /** Defaults are the kernel's: port 8848, ttl 1, group 224.0.0.81 / ff02::81 — null means "kernel default". */
  readonly port: number | null;
  readonly ttl: number | null;
  readonly group: IpAddr | null;
}

/** `lvs_timeouts [tcp S] [tcpfin S] [udp S]`, = ipvsadm --set; null leaves the kernel value. */
export interface LvsTimeouts {
  readonly tcp: number | null;
  readonly tcpFin: number | null;
  readonly udp: number | null;
}

/** The vrrp_* globals that become each instance's defaults. */
/** Gratuitous ARP / unsolicited NA timing: global defaults, and per instance (vrrp_garp_* / garp_*). */
export interface GarpSettings {
  readonly garpMasterDelay: number;
  readonly garpMasterRepeat: number;
  readonly garpMasterRefresh: number;
  readonly garpMasterRefreshRepeat: number;
  readonly garpLowerPrioDelay: number;
  readonly garpLowerPrioRepeat: number;
}

export interface VrrpGlobals extends GarpSettings {
  readonly version: 2 | 3;
  readonly mcastGroup4: IpAddr;
  readonly mcastGroup6: IpAddr;
  /** Spacing between gratuitous ARPs / unsolicited NAs on one interface, seconds (µs resolution). */
  readonly garpInterval: number;
  readonly gnaInterval: number;
  readonly downTimerAdverts: number;
  readonly lowerPrioNoAdvert: boolean;
  readonly higherPrioSendAdvert: boolean;
  readonly strict: boolean;
  readonly checkUnicastSrc: boolean;
  readonly skipCheckAdvAddr: boolean;
  readonly notifyPriorityChanges: boolean;
  readonly startupDelay: number;
}

export interface GlobalDefs {
  /** null = the local host name (keepalived set_default_router_id). */
  readonly routerId: string | null;
  readonly notificationEmail: readonly string[];
  /** null = keepalived@<host name>. */
  readonly notificationEmailFrom: string | null;
  readonly smtpServer: SmtpServer | null;
  /** null = the local host name. */
  readonly smtpHeloName: string | null;
  readonly smtpConnectTimeout: number;
  /** Tri-state as keepalived keeps them: null = not set, so the object-level defaults apply. */
  readonly smtpAlert: boolean | null;
  readonly smtpAlertVrrp: boolean | null;
  readonly smtpAlertChecker: boolean | null;
  readonly noEmailFaults: boolean;
  readonly checkerLogAllFailures: boolean;
  readonly noCheckerEmails: boolean;
  readonly rsInitNotifies: boolean;
  /** Interface for static addresses without `dev`; eth0 unless set. */
  readonly defaultInterface: string;
  readonly dynamicInterfaces: boolean;
  readonly vrrp: VrrpGlobals;
  readonly lvsSyncDaemon: LvsSyncDaemon | null;
  readonly lvsTimeouts: LvsTimeouts;
  readonly lvsFlush: boolean;
  /** lvs_flush_on_stop: 'full' flushes the whole table, 'vs' only lvsd's services. */
  readonly lvsFlushOnStop: 'none' | 'full' | 'vs';
  readonly scriptUser: { readonly user: string; readonly group: string | null } | null;
  readonly enableScriptSecurity: boolean;
  readonly notifyFifo: NotifyFifo | null;
  readonly vrrpNotifyFifo: NotifyFifo | null;
  readonly lvsNotifyFifo: NotifyFifo | null;
  readonly fifoWriteVrrpStatesOnReload: boolean;
  readonly startupScript: ScriptSpec | null;
  readonly startupScriptTimeout: number;
  readonly shutdownScript: ScriptSpec | null;
  readonly shutdownScriptTimeout: number;
}
