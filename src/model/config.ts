/**
 * The normalized keepalived configuration: what config/build.ts produces from keepalived.conf and what
 * the rest of lvsd reads. Every default is filled in and every inherited value resolved (virtual_server →
 * real_server → checker, global_defs → vrrp_instance), so a reader never needs to know keepalived's rules.
 * Times are in seconds (fractions allowed); names are kept as written so diagnostics and status can show them.
 */
import type { GlobalDefs } from './config-global.js';
import type { TrackFile, TrackProcess, VrrpInstance, VrrpScript, VrrpSyncGroup } from './config-vrrp.js';
import type { SslContext, VirtualServer, VirtualServerGroup } from './config-lvs.js';

export type * from './config-global.js';
export type * from './config-vrrp.js';
export type * from './config-lvs.js';
export type * from './config-checkers.js';

/** Where an object was declared (structurally the same as config/tree.ts's Loc). */
export interface SourceLoc {
  readonly file: string;
  readonly line: number;
}

/**
 * A script keepalived would run: the first argument of the keyword re-split into words the way
 * keepalived's set_script_params_array does (quotes and escapes honoured), plus an optional user/group.
 * `user: null` means the global script_user (or keepalived_script/root) applies.
 */
export interface ScriptSpec {
  readonly argv: readonly string[];
  readonly user: string | null;
  readonly group: string | null;
}

/** One `NAME [weight W [reverse]]` line of a track_* block, with the tracked object's weight applied. */
export interface TrackRef {
  readonly name: string;
  readonly weight: number;
  readonly reverse: boolean;
}

export interface KeepalivedConfig {
  readonly global: GlobalDefs;
  readonly vrrpScripts: readonly VrrpScript[];
  readonly trackFiles: readonly TrackFile[];
  readonly trackProcesses: readonly TrackProcess[];
  readonly vrrpInstances: readonly VrrpInstance[];
  readonly vrrpSyncGroups: readonly VrrpSyncGroup[];
  readonly virtualServerGroups: readonly VirtualServerGroup[];
  readonly virtualServers: readonly VirtualServer[];
  /** The top-level `SSL { }` block used by SSL_GET checkers; null = an auto-generated context. */
  readonly ssl: SslContext | null;
}
