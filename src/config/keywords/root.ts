/** The top-level keywords of keepalived.conf: which block each opens, and the ones lvsd ignores. */
import { CODES } from './context.js';
import { newGlobalDraft, GLOBAL_KEYWORDS, type GlobalDraft } from './global.js';
import { SSL_KEYWORDS, type SslDraft } from './ssl.js';
import { applyBlock, keywordsFor, type Table } from './table.js';
import { newTrackFileDraft, TRACK_FILE_KEYWORDS, type TrackFileDraft } from './track-file.js';
import { newTrackProcessDraft, TRACK_PROCESS_KEYWORDS, type TrackProcessDraft } from './track-process.js';
import { addGroupLine, newGroupDraft, type GroupDraft } from './virtual-server-group.js';
import { newVirtualServer, VIRTUAL_SERVER_KEYWORDS, type VsDraft } from './virtual-server.js';
import { newInstanceDraft, VRRP_INSTANCE_KEYWORDS, type InstanceDraft } from './vrrp-instance.js';
import { newScriptDraft, VRRP_SCRIPT_KEYWORDS, type ScriptDraft } from './vrrp-script.js';
import { newSyncGroupDraft, VRRP_SYNC_GROUP_KEYWORDS, type SyncGroupDraft } from './vrrp-sync-group.js';

export interface RootDraft {
  readonly global: GlobalDraft;
  readonly instances: InstanceDraft[];
  readonly syncGroups: SyncGroupDraft[];
  readonly scripts: ScriptDraft[];
  readonly trackFiles: TrackFileDraft[];
  readonly trackProcesses: TrackProcessDraft[];
  readonly groups: GroupDraft[];
  readonly virtualServers: VsDraft[];
  ssl?: SslDraft;
}

export const newRootDraft = (): RootDraft => ({
  global: newGlobalDraft(), instances: [], syncGroups: [], scripts: [], trackFiles: [], trackProcesses: [], groups: [], virtualServers: [],
});

const k = keywordsFor<RootDraft>();

const TRACK_FILE = k.block(newTrackFileDraft, TRACK_FILE_KEYWORDS, (d, f) => d.trackFiles.push(f));

export const ROOT_KEYWORDS: Table<RootDraft> = {
  // global_defs may appear more than once; keepalived reads each into the same global data.
  global_defs: k.custom((d, node, ctx) => applyBlock(GLOBAL_KEYWORDS, node.children, d.global, ctx.within('global_defs')), 'required'),
  vrrp_instance: k.block(newInstanceDraft, VRRP_INSTANCE_KEYWORDS, (d, i) => d.instances.push(i)),
  vrrp_sync_group: k.block(newSyncGroupDraft, VRRP_SYNC_GROUP_KEYWORDS, (d, g) => d.syncGroups.push(g)),
  vrrp_script: k.block(newScriptDraft, VRRP_SCRIPT_KEYWORDS, (d, s) => d.scripts.push(s)),
  track_file: TRACK_FILE,
  vrrp_track_file: k.deprecated(TRACK_FILE, 'use track_file'),
  vrrp_track_process: k.block(newTrackProcessDraft, TRACK_PROCESS_KEYWORDS, (d, p) => d.trackProcesses.push(p)),
  virtual_server_group: k.custom((d, node, ctx) => {
    const made = newGroupDraft(node, ctx);
    if (!made) return;
    for (const line of node.children ?? []) addGroupLine(made.draft, line, made.ctx);
    made.draft.rejected = made.ctx.wasRejected('entries');
    d.groups.push(made.draft);
  }, 'required'),
  virtual_server: k.block(newVirtualServer, VIRTUAL_SERVER_KEYWORDS, (d, vs) => d.virtualServers.push(vs)),
  SSL: k.custom((d, node, ctx) => {
    if (d.ssl) ctx.warn(CODES.adjusted, node.loc, 'SSL is already given; this block replaces it');
    d.ssl = {};
    applyBlock(SSL_KEYWORDS, node.children, d.ssl, ctx.within('SSL'));
  }, 'required'),
  ...k.ignoring('lvsd does not manage static addresses, routes or rules', ['static_ipaddress', 'static_routes', 'static_rules', 'track_group']),
  ...k.ignoring('lvsd paces gratuitous ARP per instance only', ['garp_group']),
  ...k.ignoring('lvsd follows link state through netlink', ['linkbeat_interfaces', 'linkbeat_use_polling', 'interface_up_down_delays']),
  bfd_instance: k.ignored('lvsd has no BFD'),
  ...k.ignoring('lvsd runs in the network namespace it is started in', ['net_namespace', 'net_namespace_ipvs', 'namespace_with_ipsets']),
  ...k.ignoring('lvsd has its own process and pid-file handling', ['use_pid_dir', 'instance', 'child_wait_time']),
};
