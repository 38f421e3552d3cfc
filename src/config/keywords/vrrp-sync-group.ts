/** vrrp_sync_group keywords (keepalived vrrp/vrrp_parser.c, the sync group part of init_vrrp_keywords). */
import type { SourceLoc } from '../../model/config.js';
import type { ConfigNode } from '../tree.js';
import { CODES, type Ctx } from './context.js';
import { keywordsFor, type Table } from './table.js';
import { NOTIFY_KEYWORDS, TRACKING_KEYWORDS, newTracking, type NotifyDraft, type TrackingDraft } from './vrrp-common.js';

export interface SyncGroupDraft extends TrackingDraft, NotifyDraft {
  readonly loc: SourceLoc;
  readonly name: string;
  /** undefined = no group block (keepalived removes such a group). */
  members?: { name: string; loc: SourceLoc }[];
  trackingWeight?: boolean;
}

export function newSyncGroupDraft(node: ConfigNode, ctx: Ctx): { draft: SyncGroupDraft; ctx: Ctx } | null {
  const name = node.args[0];
  if (name === undefined || node.args.length !== 1) {
    ctx.error(CODES.missing, node.loc, 'vrrp_sync_group must have exactly one name');
    return null;
  }
  return { draft: { loc: node.loc, name, ...newTracking() }, ctx: ctx.within(`vrrp_sync_group ${name}`) };
}

const k = keywordsFor<SyncGroupDraft>();

export const VRRP_SYNC_GROUP_KEYWORDS: Table<SyncGroupDraft> = {
  ...TRACKING_KEYWORDS,
  ...NOTIFY_KEYWORDS,
  group: k.custom((d, node, ctx) => {
    // vrrp_group_handler: a second group block is an error and is skipped.
    if (d.members) return ctx.error(CODES.duplicate, node.loc, 'group is already given for this sync group');
    d.members = (node.children ?? []).flatMap((l) => [l.keyword, ...l.args].map((name) => ({ name, loc: l.loc })));
  }, 'required'),
  sync_group_tracking_weight: k.custom((d) => { d.trackingWeight = true; }),
  global_tracking: k.deprecated(k.custom((d) => { d.trackingWeight = true; }), 'use track_interface/track_script/track_file on the sync group, or sync_group_tracking_weight'),
};
