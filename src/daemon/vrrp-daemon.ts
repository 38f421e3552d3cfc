/** The VrrpSupervisor for a data plane: kernel IPVS moves lvs_sync_daemon with the VRRP state, the proxy binds non-local. */
import type { Clock } from '../ports/clock.js';
import type { DataPlane } from '../ports/dataplane.js';
import type { Logger } from '../ports/logger.js';
import { syncDaemonSwitch } from '../reconcile/sync-daemons.js';
import { VrrpSupervisor } from './vrrp-supervisor.js';
import type { DaemonAlerts } from './alert-wiring.js';

export function vrrpFor(plane: DataPlane, clock: Clock, log: Logger, alerts?: DaemonAlerts): VrrpSupervisor {
  const vlog = log.child({ component: 'vrrp' });
  return new VrrpSupervisor({
    clock, log: vlog, proxyPlane: plane.name === 'proxy', ...(alerts ? { alerts } : {}),
    ...(plane.name === 'ipvs' ? {
      syncDaemon: async (config, master) => {
        const want = config.global.lvsSyncDaemon;
        if (!want) return;
        const [stop, start] = await plane.apply(syncDaemonSwitch(want, master));
        // The daemon to stop may not run (first transition): only the start's refusal matters.
        if (start) throw start;
        vlog.info({ master, stopRefused: stop?.errno ?? null }, `lvs_sync_daemon now ${master ? 'master' : 'backup'}`);
      },
    } : {}),
  });
}
