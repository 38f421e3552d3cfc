import type { LvsSyncDaemon } from '../model/config.js';
import type { TableOp } from '../model/ops.js';
import type { SyncDaemon } from '../model/table.js';

/**
 * The connection-sync daemons keepalived's lvs_sync_daemon asks for. Without an instance both the master and
 * the backup daemon run; tied to a VRRP instance, the backup daemon runs until that instance is MASTER, when
 * VRRP swaps it for the master daemon (syncDaemonSwitch) — a master daemon VRRP started is kept by a reload.
 * The kernel fills in its own defaults for maxlen/group/port/ttl when it lists daemons, so only state,
 * interface and id are compared.
 */
export function planSyncDaemons(want: LvsSyncDaemon | null, have: readonly SyncDaemon[]): TableOp[] {
  const ops: TableOp[] = [];
  const wanted: SyncDaemon[] = want ? states(want, have).map((state) => toDaemon(want, state)) : [];
  for (const h of have) {
    const w = wanted.find((d) => d.state === h.state);
    if (!w || !same(w, h)) ops.push({ op: 'stop-daemon', state: h.state });
  }
  for (const w of wanted) {
    const h = have.find((d) => d.state === w.state);
    if (!h || !same(w, h)) ops.push({ op: 'start-daemon', daemon: w });
  }
  return ops;
}

/**
 * keepalived ipvswrapper.c ipvs_syncd_master / ipvs_syncd_backup: the instance became MASTER (or left it), so
 * the other daemon stops and this one starts.
 */
export function syncDaemonSwitch(want: LvsSyncDaemon, master: boolean): TableOp[] {
  const [from, to] = master ? (['backup', 'master'] as const) : (['master', 'backup'] as const);
  return [{ op: 'stop-daemon', state: from }, { op: 'start-daemon', daemon: toDaemon(want, to) }];
}

const same = (a: SyncDaemon, b: SyncDaemon): boolean => a.mcastIfn === b.mcastIfn && a.syncId === b.syncId;

function states(d: LvsSyncDaemon, have: readonly SyncDaemon[]): Array<'master' | 'backup'> {
  if (d.instance === null) return ['master', 'backup'];
  const master = toDaemon(d, 'master');
  return have.some((h) => h.state === 'master' && same(master, h)) ? ['master'] : ['backup'];
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
