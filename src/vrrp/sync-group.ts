/**
 * vrrp_sync_group: members move together (keepalived vrrp/vrrp_sync.c and the transition matrix in
 * vrrp_scheduler.c, VRRP_TSM). A member reaching MASTER takes the others to MASTER, a master dropping to
 * BACKUP takes them to BACKUP, a member entering FAULT takes them to FAULT, and the group leaves FAULT
 * only when no member is faulty itself. Pure: it reads member states and says which members to move.
 */
import type { VrrpInstance, VrrpSyncGroup } from '../model/config-vrrp.js';
import type { GroupView, InstanceState, InstanceStateName } from './instance-types.js';

export type GroupStateName = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT';

/** keepalived vrrp_sync_set_group: MASTER only if every member is an address owner starting as MASTER. */
export function initialGroupState(members: readonly VrrpInstance[]): GroupStateName {
  return members.every((m) => m.state === 'MASTER' && m.priority === 255) ? 'MASTER' : 'BACKUP';
}

/** What a member's reducer needs to know about the others. */
export function groupView(state: GroupStateName, self: string, members: ReadonlyMap<string, InstanceState>): GroupView {
  const others = [...members].filter(([name]) => name !== self).map(([, s]) => s);
  return {
    state,
    othersWantMaster: others.every((s) => s.wantMaster),
    // A member that is faulty itself (not merely moved to FAULT by the group) holds the group down.
    othersFaulty: others.some((s) => s.started && s.track.fault),
  };
}

export interface GroupMove {
  readonly state: GroupStateName;
  /** Members to move, with where to. */
  readonly moves: ReadonlyArray<{ readonly member: string; readonly to: 'MASTER' | 'BACKUP' | 'FAULT' }>;
  /** The group's state changed: notify GROUP name STATE. */
  readonly changed: boolean;
}

/**
 * keepalived's matrix: →MASTER vrrp_sync_master, MASTER→BACKUP vrrp_sync_backup, →FAULT vrrp_sync_fault
 * (down_instance), FAULT→BACKUP vrrp_sync_backup (try_up_instance once the group has no faulty member).
 */
export function afterTransition(
  group: VrrpSyncGroup, state: GroupStateName, member: string, from: InstanceStateName, to: InstanceStateName,
  members: ReadonlyMap<string, InstanceState>,
): GroupMove {
  let target: 'MASTER' | 'BACKUP' | 'FAULT' | null = null;
  if (to === 'MASTER' && from !== 'MASTER') target = 'MASTER';
  else if (to === 'FAULT' && from !== 'FAULT') target = 'FAULT';
  else if (to === 'BACKUP' && (from === 'MASTER' || from === 'FAULT')) target = 'BACKUP';
  if (target === null || target === state) return { state, moves: [], changed: false };
  const moves = group.instances
    .filter((m) => m !== member && members.get(m)?.name !== target)
    .map((m) => ({ member: m, to: target }));
  return { state: target, moves, changed: true };
}
