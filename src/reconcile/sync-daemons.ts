import type { LvsSyncDaemon } from '../model/config.js';
import type { TableOp } from '../model/ops.js';
import type { SyncDaemon } from '../model/table.js';

/**
 * The connection-sync daemons keepalived's lvs_sync_daemon asks for. Without an instance both the master and
 * the backup daemon run; tied to a VRRP instance, the backup daemon runs until that instance is MASTER (VRRP
 * decides that; until it exists here, the director stays a backup). The kernel fills in its own defaults for
 * maxlen/group/port/ttl when it lists daemons, so only state, interface and id are compared.
 */
export function planSyncDaemons(want: LvsSyncDaemon | null, have: readonly SyncDaemon[]): TableOp[] {
  const ops: TableOp[] = [];
  const wanted: SyncDaemon[] = want ? states(want).map((state) => toDaemon(want, state)) : [];
  for (const h of have) {
    const w = wanted.find((d) => d.state === h.state);
    if (!w || w.mcastIfn !== h.mcastIfn || w.syncId !== h.syncId) ops.push({ op: 'stop-daemon', state: h.state });
  }
  for (const w of wanted) {
    const h = have.find((d) => d.state === w.state);
    if (!h || w.mcastIfn !== h.mcastIfn || w.syncId !== h.syncId) ops.push({ op: 'start-daemon', daemon: w });
  }
  return ops;
}

function states(d: LvsSyncDaemon): Array<'master' | 'backup'> {
  return d.instance === null ? ['master', 'backup'] : ['backup'];
}

function toDaemon(d: LvsSyncDaemon, state: 'master' | 'backup'): SyncDaemon {
  return {
    state,
    mcastIfn: d.interface,
    syncId: d.syncId ?? 0,
    ...(d.maxLen !== null ? { maxLen: d.maxLen } : {}),
    ...(d.group !== null ? { group: d.group.text } : {}),
    ...(d.port !== null ? { port: d.port } : {}),
    ...(d.ttl !== null ? { ttl: d.ttl } : {}),
  };
}
