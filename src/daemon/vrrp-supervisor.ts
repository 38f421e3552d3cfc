/**
 * VRRP across the daemon's life: started with the first configuration that has vrrp_instances, reloaded on
 * SIGHUP, stopped on SIGTERM before the data plane closes. It also prepares the data plane to follow VRRP:
 *
 * - proxy plane: listeners on a virtual IP this director does not hold yet must exist when the address arrives.
 *   lvsd sets net.ipv4.ip_nonlocal_bind / net.ipv6.ip_nonlocal_bind in its network namespace (once, at start,
 *   before the first table is applied), so every listener binds at start whatever VRRP holds, and the first
 *   SYN after a takeover is served with no bind step in the takeover path. IP_FREEBIND per socket would be
 *   narrower, but Node's net/dgram expose no way to set it before bind(); binding on arrival would put a
 *   reconcile pass (and, for IPv6, DAD's tentative period) inside the takeover window. See docs/ARCHITECTURE.md.
 * - kernel IPVS: lvs_sync_daemon tied to an instance runs as master while that instance is MASTER and as backup
 *   otherwise (keepalived ipvswrapper.c ipvs_syncd_master / ipvs_syncd_backup), through `syncDaemon`.
 */
import { writeFileSync } from 'node:fs';
import type { KeepalivedConfig, VirtualServer } from '../model/config.js';
import type { VrrpInstance } from '../model/config-vrrp.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { VipHeld } from '../ports/vip-held.js';
import type { VrrpStatusSource } from '../ports/status.js';
import type { InstanceStateName } from '../vrrp/instance-types.js';
import { VrrpRuntime } from './vrrp-wiring.js';
import type { DaemonAlerts } from './alert-wiring.js';

export interface VrrpSupervisorDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** The proxy plane binds listeners on virtual IPs: allow binding addresses not (yet) held. */
  readonly proxyPlane: boolean;
  /** Moves the lvs_sync_daemon between master and backup (kernel IPVS); absent for the proxy plane. */
  readonly syncDaemon?: (config: KeepalivedConfig, master: boolean) => Promise<void>;
  /** smtp_alert for instance and sync-group state changes. */
  readonly alerts?: DaemonAlerts;
}

const NONLOCAL_BIND = ['/proc/sys/net/ipv4/ip_nonlocal_bind', '/proc/sys/net/ipv6/ip_nonlocal_bind'];

export class VrrpSupervisor {
  private runtime: VrrpRuntime | null = null;
  private config: KeepalivedConfig | null = null;

  constructor(private readonly deps: VrrpSupervisorDeps) {}

  /** For the health runner (ha_suspend): true for everything until VRRP runs. */
  readonly vipHeld: VipHeld = (vs: VirtualServer) => this.runtime?.vipHeld(vs) ?? true;

  /** VRRP for /metrics and /status.json: every instance with its counters, none while VRRP does not run. */
  readonly status: VrrpStatusSource = {
    instances: () => this.runtime?.status() ?? [],
    transitions: () => this.runtime?.counters.transitions() ?? [],
  };

  /** Whether VRRP runs (the first configuration had instances and they started). */
  get running(): boolean {
    return this.runtime !== null;
  }

  /** The state of an instance, or null without VRRP. */
  state(name: string): InstanceStateName | null {
    return this.runtime?.state(name) ?? null;
  }

  /** The core's hook: called with each configuration it is about to apply (first load and reloads). */
  async configure(config: KeepalivedConfig, first: boolean): Promise<void> {
    this.config = config;
    if (!first) {
      if (this.runtime) this.runtime.reload(config);
      else if (config.vrrpInstances.length > 0) this.deps.log.warn({}, 'the reload adds VRRP instances: restart lvsd to run them');
      return;
    }
    if (config.vrrpInstances.length === 0) return;
    if (this.deps.proxyPlane) this.allowNonlocalBind();
    try {
      this.runtime = await VrrpRuntime.open(config, { clock: this.deps.clock, log: this.deps.log, onState: (i, s) => this.followed(i, s), ...(this.deps.alerts ? { alerts: this.deps.alerts } : {}) });
    } catch (err) {
      this.deps.log.error({ err }, 'VRRP could not start; this director holds no virtual address');
    }
  }

  /** SIGTERM: priority 0, addresses removed, notify_stop — before the data plane goes. */
  async stop(): Promise<void> {
    const rt = this.runtime;
    this.runtime = null;
    await rt?.stop();
  }

  private followed(inst: VrrpInstance, state: InstanceStateName): void {
    const sync = this.config?.global.lvsSyncDaemon;
    if (!this.deps.syncDaemon || !this.config || sync?.instance !== inst.name) return;
    this.deps.syncDaemon(this.config, state === 'MASTER').catch((err: unknown) => this.deps.log.error({ err, instance: inst.name }, 'lvs_sync_daemon could not follow the VRRP state'));
  }

  private allowNonlocalBind(): void {
    for (const f of NONLOCAL_BIND) {
      try {
        writeFileSync(f, '1\n');
      } catch (err) {
        this.deps.log.warn({ sysctl: f, err }, 'cannot allow binding virtual IPs not held: proxy listeners on them start only once the address is here');
      }
    }
  }
}
