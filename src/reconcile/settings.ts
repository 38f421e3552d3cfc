import type { KeepalivedConfig } from '../model/config.js';
import type { TableOp } from '../model/ops.js';
import type { SyncDaemon } from '../model/table.js';
import { planSyncDaemons } from './sync-daemons.js';

/**
 * The table settings a configuration asks for besides its services: lvs_timeouts as the `ipvsadm --set`
 * it stands for (0 keeps the current value) and the lvs_sync_daemon changes against the daemons running.
 * They are applied when a file is loaded, not by drift repair.
 */
export function planSettings(cfg: KeepalivedConfig, running: readonly SyncDaemon[]): TableOp[] {
  const ops: TableOp[] = [];
  const t = cfg.global.lvsTimeouts;
  if (t.tcp !== null || t.tcpFin !== null || t.udp !== null) {
    ops.push({ op: 'set-timeouts', timeouts: { tcp: t.tcp ?? 0, tcpFin: t.tcpFin ?? 0, udp: t.udp ?? 0 } });
  }
  ops.push(...planSyncDaemons(cfg.global.lvsSyncDaemon, running));
  return ops;
}
