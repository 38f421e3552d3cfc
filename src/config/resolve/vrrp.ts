/**
 * The VRRP side of the configuration as a whole: instance names, sync groups and their members, the
 * sync-group start state, and VRID conflicts (keepalived vrrp/vrrp.c vrrp_complete_init,
 * vrrp_sync.c vrrp_sync_set_group, check_vrid_conflicts).
 */
import type { GlobalDefs, LvsSyncDaemon, SourceLoc, VrrpInstance, VrrpSyncGroup } from '../../model/config.js';
import { CODES, type Ctx } from '../keywords/context.js';
import type { InstanceDraft } from '../keywords/vrrp-instance.js';
import type { SyncGroupDraft } from '../keywords/vrrp-sync-group.js';
import { resolveTrackRefs, unweighted, type Tracked } from './tracking.js';
import { notifyOf, resolveInstance } from './vrrp-instance.js';

/** Instances by name, first definition wins ("vrrp instance %s already defined"). */
function uniqueInstances(drafts: readonly InstanceDraft[], ctx: Ctx): InstanceDraft[] {
  const seen = new Map<string, InstanceDraft>();
  for (const d of drafts) {
    const first = seen.get(d.name);
    if (first) ctx.error(CODES.duplicate, d.loc, `vrrp_instance ${d.name} is already defined at ${first.loc.file}:${first.loc.line}`);
    else seen.set(d.name, d);
  }
  return [...seen.values()];
}

/** Priority 255, given or implied by state MASTER. */
const isOwner = (d: InstanceDraft | undefined) => (d?.priority ?? (d?.state === 'MASTER' ? 255 : 100)) === 255;

function resolveGroups(drafts: readonly SyncGroupDraft[], instances: ReadonlyMap<string, InstanceDraft>, tracked: Tracked, global: GlobalDefs, ctx: Ctx): VrrpSyncGroup[] {
  const owner = new Map<string, string>();
  const names = new Set<string>();
  const out: VrrpSyncGroup[] = [];
  for (const d of drafts) {
    const gctx = ctx.within(`vrrp_sync_group ${d.name}`);
    if (names.has(d.name)) {
      gctx.error(CODES.duplicate, d.loc, 'is already defined');
      continue;
    }
    names.add(d.name);
    const members: string[] = [];
    for (const { name: m, loc: where } of d.members ?? []) {
      if (!instances.has(m)) gctx.error(CODES.reference, where, `member ${m} is not a vrrp_instance`);
      else if (owner.has(m)) gctx.error(CODES.duplicate, where, `member ${m} is already in sync group ${owner.get(m)}`);
      else {
        owner.set(m, d.name);
        members.push(m);
      }
    }
    // keepalived removes empty groups and warns about single-member ones.
    if (members.length === 0) {
      gctx.warn(CODES.adjusted, d.loc, d.members ? 'has no valid members and is ignored' : 'has no group { } block and is ignored');
      continue;
    }
    if (members.length === 1) gctx.warn(CODES.adjusted, d.loc, 'has only one member, which is probably not what you want');
    let refs = resolveTrackRefs(d, tracked, gctx);
    if (members.some((m) => isOwner(instances.get(m)))) refs = unweighted(refs, 'the address owner', gctx, d.loc);
    out.push({
      loc: d.loc, name: d.name, instances: members, ...refs,
      notify: notifyOf(d),
      smtpAlert: d.smtpAlert ?? global.smtpAlertVrrp ?? global.smtpAlert ?? false,
      trackingWeight: d.trackingWeight ?? false,
      notifyPriorityChanges: d.notifyPriorityChanges ?? null,
    });
  }
  return out;
}

/**
 * vrrp_complete_init: if a group has a member wanting MASTER and one that is BACKUP or not the
 * address owner, every member starts as BACKUP.
 */
function groupStartStates(instances: VrrpInstance[], groups: readonly VrrpSyncGroup[], ctx: Ctx): VrrpInstance[] {
  const demote = new Set<string>();
  for (const g of groups) {
    const members = instances.filter((i) => i.syncGroup === g.name);
    if (members.some((i) => i.state === 'MASTER') && members.some((i) => i.state === 'BACKUP' || i.priority !== 255)) {
      for (const i of members) if (i.state === 'MASTER') demote.add(i.name);
    }
  }
  return instances.map((i) => {
    if (!demote.has(i.name)) return i;
    ctx.warn(CODES.adjusted, i.loc, `vrrp_instance ${i.name}: starts as BACKUP, because sync group ${i.syncGroup} has members that are not MASTER address owners`);
    return { ...i, state: 'BACKUP' };
  });
}

/** check_vrid_conflicts: same family and VRID on the same interface and multicast group, or unicast to a shared peer. */
function vridConflicts(instances: readonly VrrpInstance[], ctx: Ctx): void {
  instances.forEach((a, i) => {
    for (const b of instances.slice(i + 1)) {
      if (a.family !== b.family || a.virtualRouterId !== b.virtualRouterId || a.unicast !== b.unicast) continue;
      const clash = a.unicast
        ? (!a.interface || !b.interface || a.interface === b.interface)
          && (!a.sourceIp || !b.sourceIp || a.sourceIp.text === b.sourceIp.text)
          && a.unicastPeers.some((p) => b.unicastPeers.some((q) => q.addr.text === p.addr.text))
        : a.interface === b.interface && a.mcastDstIp?.text === b.mcastDstIp?.text;
      if (clash) {
        ctx.error(CODES.duplicate, b.loc, `vrrp_instance ${b.name} uses VRID ${b.virtualRouterId} (IPv${b.family}) on ${b.interface ?? 'the same peers'} like vrrp_instance ${a.name} at ${a.loc.file}:${a.loc.line}`);
      }
    }
  });
}

export interface VrrpPart {
  readonly instances: VrrpInstance[];
  readonly syncGroups: VrrpSyncGroup[];
  /** From a deprecated per-instance lvs_sync_daemon_interface, if any. */
  readonly syncDaemon: { readonly value: LvsSyncDaemon; readonly loc: SourceLoc } | null;
}

export function resolveVrrp(instanceDrafts: readonly InstanceDraft[], groupDrafts: readonly SyncGroupDraft[], global: GlobalDefs, tracked: Tracked, ctx: Ctx): VrrpPart {
  const drafts = uniqueInstances(instanceDrafts, ctx);
  const byName = new Map(drafts.map((d) => [d.name, d]));
  const syncGroups = resolveGroups(groupDrafts, byName, tracked, global, ctx);
  const groupOf = new Map(syncGroups.flatMap((g) => g.instances.map((m) => [m, g] as const)));
  const resolved = drafts.flatMap((d) => resolveInstance(d, global, tracked, groupOf.get(d.name) ?? null, ctx.within(`vrrp_instance ${d.name}`)) ?? []);
  const instances = groupStartStates(resolved, syncGroups, ctx);
  vridConflicts(instances, ctx);
  const legacy = drafts.find((d) => d.lvsSyncInterface);
  const syncDaemon = legacy?.lvsSyncInterface
    ? { value: { interface: legacy.lvsSyncInterface.name, instance: legacy.name, syncId: null, maxLen: null, port: null, ttl: null, group: null }, loc: legacy.lvsSyncInterface.loc }
    : null;
  return { instances, syncGroups, syncDaemon };
}
