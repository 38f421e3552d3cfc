/**
 * VRRP in the daemon: the VrrpNode (src/vrrp, pure) on the daemon's Clock, with the real parts around it — one
 * protocol-112 channel per interface, family, group and source (as keepalived opens one socket per interface),
 * virtual addresses over rtnetlink (VipManager), gratuitous ARP / unsolicited NA over AF_PACKET (FrameAnnouncer),
 * tracked interfaces, scripts and files (VrrpTracking), notify scripts and FIFO lines (VrrpNotifier).
 *
 * Effects are performed in the order the node hands them out. Adverts are sent at once (a send is a syscall
 * and no later effect waits on it); address changes, gratuitous ARPs and notifications are chained, so a
 * notify_master script runs after its addresses are up and the ARPs that announce them are sent, as keepalived
 * vrrp_state_become_master does. A failure is logged and the chain goes on: VRRP never takes the daemon down.
 */
import type { IpAddr } from '../model/address.js';
import type { KeepalivedConfig, VirtualServer } from '../model/config.js';
import type { VirtualIp, VrrpInstance, VrrpSyncGroup } from '../model/config-vrrp.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { VipHeld } from '../ports/vip-held.js';
import type { VrrpChannel } from '../ports/vrrp-transport.js';
import { RtnlClient } from '../netlink/rtnl/client.js';
import { FrameAnnouncer } from '../platform/announcer.js';
import { ProcessScriptRunner } from '../platform/script-runner.js';
import { VipManager } from '../platform/vip-manager.js';
import { WitnessGuard } from '../platform/witness-guard.js';
import { NativeVrrpTransport } from '../platform/vrrp-socket.js';
import type { InstanceAction, InstanceStateName } from '../vrrp/instance-types.js';
import { VrrpNode, type NodeEffect } from '../vrrp/node.js';
import { VrrpNotifier } from './vrrp-notify.js';
import type { DaemonAlerts } from './alert-wiring.js';
import { VrrpCounters } from './vrrp-status.js';
import type { VrrpInstanceStatus } from '../ports/status.js';
import { VrrpTracking } from './vrrp-tracking.js';

export interface VrrpDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Told after each instance's state change has been carried out (its addresses added or removed). */
  readonly onState?: (instance: VrrpInstance, state: InstanceStateName) => void;
  /** smtp_alert on instance and sync-group state changes; none mailed when not given. */
  readonly alerts?: DaemonAlerts;
}

/** How long a stopping lvsd lets notify_stop scripts run (keepalived forks them and does not wait at all). */
const STOP_SCRIPTS_MS = 2_000;

type Action = Exclude<InstanceAction, { type: 'send-advert' }>;

export class VrrpRuntime {
  private node: VrrpNode | null = null;
  private tracking: VrrpTracking | null = null;
  private readonly channels = new Map<string, VrrpChannel>();
  private readonly channelOf = new Map<string, VrrpChannel>();
  private readonly primaries = new Map<string, IpAddr>();
  private instances = new Map<string, VrrpInstance>();
  private readonly groups: Map<string, VrrpSyncGroup>;
  /** Virtual addresses (text) this director has put up, and every address some instance may hold. */
  private readonly held = new Set<string>();
  private readonly all: Set<string>;
  private chain: Promise<void> = Promise.resolve();
  private readonly vips: VipManager;
  private readonly announcer = new FrameAnnouncer();
  private readonly notifier: VrrpNotifier;
  private readonly runner: ProcessScriptRunner;
  /** lvsd_quorum_witness of the instances that have one (split-brain defence, docs/QUORUM-WITNESS.md). */
  private readonly witness: WitnessGuard;
  /** Adverts sent and master transitions, for /metrics and /status.json. */
  readonly counters = new VrrpCounters();

  private constructor(config: KeepalivedConfig, private readonly rtnl: RtnlClient, private readonly deps: VrrpDeps) {
    this.instances = new Map(config.vrrpInstances.map((i) => [i.name, i]));
    this.groups = new Map(config.vrrpSyncGroups.map((g) => [g.name, g]));
    this.all = new Set(config.vrrpInstances.flatMap((i) => [...i.virtualIpaddresses, ...i.virtualIpaddressesExcluded].map((v) => v.addr.text)));
    this.vips = new VipManager(rtnl);
    this.runner = new ProcessScriptRunner({ scriptUser: config.global.scriptUser, enableScriptSecurity: config.global.enableScriptSecurity });
    this.notifier = new VrrpNotifier(config, this.runner, deps.log);
    this.witness = new WitnessGuard({ instances: config.vrrpInstances, clock: deps.clock, scripts: this.runner, onError: (m) => deps.log.warn({ component: 'quorum-witness' }, m) });
  }

  /** Opens everything the configuration's instances need and starts them (in BACKUP, or MASTER for an owner). */
  static async open(config: KeepalivedConfig, deps: VrrpDeps): Promise<VrrpRuntime> {
    const rt = new VrrpRuntime(config, RtnlClient.open(), deps);
    try {
      await rt.resolvePrimaries(config.vrrpInstances);
      await rt.releaseLeftovers(config.vrrpInstances);
      rt.openChannels(config.vrrpInstances);
      rt.tracking = await VrrpTracking.open(config, deps.clock, rt.runner, deps.log, (inputs) => rt.node?.updateTracking(inputs));
      rt.node = new VrrpNode({
        clock: deps.clock, instances: config.vrrpInstances, groups: config.vrrpSyncGroups,
        primary: (i) => rt.primaries.get(i.name) ?? null,
        effects: (e) => rt.effect(e), guard: rt.witness,
      });
      rt.witness.start();
      rt.node.start(rt.tracking.start());
      return rt;
    } catch (e) {
      await rt.close();
      throw e;
    }
  }

  /** ha_suspend: a virtual server's address is held unless it is a VRRP address this director does not hold now. */
  readonly vipHeld: VipHeld = (vs: VirtualServer) => vs.key.kind !== 'addr' || !this.all.has(vs.key.addr.text) || this.held.has(vs.key.addr.text);

  state(name: string): InstanceStateName | null {
    return this.instances.has(name) ? this.node?.state(name).name ?? null : null;
  }

  /** Every instance's state and counters (status and metrics). */
  status(): VrrpInstanceStatus[] {
    const node = this.node;
    if (!node) return [];
    return [...this.instances.values()].map((i) => this.counters.status(i, node.state(i.name), node.received(i.name), node.rejections(i.name)));
  }

  /**
   * SIGHUP: instances with the same name, VRID and family keep their state (no priority 0, addresses kept,
   * adverts on their schedule). Instances added or removed by the reload need a restart; that is said.
   */
  reload(config: KeepalivedConfig): void {
    const same = config.vrrpInstances.filter((c) => {
      const old = this.instances.get(c.name);
      return old && old.virtualRouterId === c.virtualRouterId && old.family === c.family && old.interface === c.interface;
    });
    const names = new Set(same.map((c) => c.name));
    const changed = [...config.vrrpInstances.filter((c) => !names.has(c.name)).map((c) => c.name), ...[...this.instances.keys()].filter((n) => !config.vrrpInstances.some((c) => c.name === n))];
    if (changed.length > 0) this.deps.log.warn({ instances: changed }, 'vrrp_instance added, removed or moved to another VRID/interface by the reload: restart lvsd to apply it');
    for (const c of same) this.instances.set(c.name, c);
    this.node?.reload(same);
  }

  /** SIGTERM: masters send priority 0 and drop their addresses, every instance reports STOP; then all is closed. */
  async stop(): Promise<void> {
    this.node?.stop();
    await this.chain;
    await this.notifier.settle(this.deps.clock, STOP_SCRIPTS_MS);
    await this.close();
  }

  private async close(): Promise<void> {
    this.tracking?.close();
    this.witness.close();
    for (const c of this.channels.values()) c.close();
    this.channels.clear();
    this.announcer.close();
    this.notifier.close();
    this.rtnl.close();
  }

  /** keepalived: unicast_src_ip / mcast_src_ip, else the interface's first primary IPv4 / its IPv6 link-local. */
  private async resolvePrimaries(instances: readonly VrrpInstance[]): Promise<void> {
    for (const i of instances) {
      let a = i.sourceIp;
      if (!a && i.interface) a = await this.rtnl.sourceAddress((await this.rtnl.link(i.interface)).index, i.family);
      if (a) this.primaries.set(i.name, a);
      else this.deps.log.error({ instance: i.name, interface: i.interface }, `vrrp_instance ${i.name}: its interface has no IPv${i.family} address to send from; it cannot advertise`);
    }
  }

  /**
   * A director killed while MASTER left its addresses up; starting in BACKUP it must not keep answering ARP for
   * them beside the new master (keepalived vrrp.c vrrp_complete_instance / vrrp_restore_interface clear them
   * too). An instance that becomes MASTER puts them back.
   */
  private async releaseLeftovers(instances: readonly VrrpInstance[]): Promise<void> {
    for (const i of instances) {
      try {
        await this.vips.remove([...i.virtualIpaddresses, ...i.virtualIpaddressesExcluded], i.interface);
      } catch (err) {
        this.deps.log.warn({ instance: i.name, err }, 'could not clear virtual addresses left from an earlier run');
      }
    }
  }

  private openChannels(instances: readonly VrrpInstance[]): void {
    const transport = new NativeVrrpTransport();
    for (const i of instances) {
      if (!i.interface) {
        this.deps.log.error({ instance: i.name }, `vrrp_instance ${i.name}: lvsd needs an interface for it (unicast without one is not supported yet)`);
        continue;
      }
      const iface = i.interface;
      // A raw socket bound to an address takes in only packets sent to it (net/ipv4/raw.c raw_v4_match), so a
      // multicast channel is left unbound and the kernel sends from the interface's primary address — the one
      // resolvePrimaries found for the checksum. Unicast channels bind unicast_src_ip, where the peers send.
      const source = i.unicast ? this.primaries.get(i.name) ?? null : null;
      const group = i.unicast ? null : i.mcastDstIp;
      const key = `${iface}|${i.family}|${group?.text ?? '-'}|${source?.text ?? '-'}`;
      let ch = this.channels.get(key);
      if (!ch) {
        try {
          ch = transport.open({
            family: i.family, interface: iface, group, source, rcvbufBytes: i.kernelRxBufSize,
            onPacket: (p) => this.node?.receive({ src: p.src, dst: p.dst, ttl: p.ttl < 0 ? null : p.ttl, payload: p.bytes }, i.family, iface),
            onError: (e) => this.deps.log.warn({ interface: iface, err: e }, 'VRRP receive error'),
          });
        } catch (e) {
          this.deps.log.error({ instance: i.name, err: e }, `vrrp_instance ${i.name}: cannot open its VRRP socket`);
          continue;
        }
        this.channels.set(key, ch);
      }
      this.channelOf.set(i.name, ch);
    }
  }

  private effect(e: NodeEffect): void {
    this.witness.follow(e);
    if (e.kind === 'held') {
      this.deps.log.warn({ instance: e.instance, reason: e.hold.reason, detail: e.hold.detail }, `VRRP ${e.instance}: takeover held by the quorum witness`);
      return;
    }
    if (e.kind === 'send') {
      try {
        const ch = this.channelOf.get(e.instance);
        if (ch) {
          ch.send(e.packet.payload, e.packet.dst);
          this.counters.sent(e.instance);
        }
      } catch (err) {
        this.deps.log.warn({ instance: e.instance, dst: e.packet.dst.text, err }, 'VRRP advert not sent');
      }
      return;
    }
    this.enqueue(() => (e.kind === 'group' ? this.groupNotify(e.group, e.state) : this.act(e.instance, e.action)));
  }

  private enqueue(f: () => Promise<void> | void): void {
    this.chain = this.chain.then(f).catch((err: unknown) => this.deps.log.error({ err }, 'VRRP action failed'));
  }

  private groupNotify(name: string, state: 'MASTER' | 'BACKUP' | 'FAULT' | 'INIT'): void {
    const g = this.groups.get(name);
    if (!g || state === 'INIT') return;
    this.notifier.state('GROUP', name, g.notify, state, 0);
    this.deps.alerts?.vrrpGroup(g, state);
  }

  private async act(name: string, a: Action): Promise<void> {
    const inst = this.instances.get(name);
    if (!inst) return;
    switch (a.type) {
      case 'add-vips':
        try {
          await this.vips.add(a.vips, inst.interface);
        } finally {
          for (const v of a.vips) this.held.add(v.addr.text);
        }
        return;
      case 'remove-vips':
        for (const v of a.vips) this.held.delete(v.addr.text);
        await this.vips.remove(a.vips, inst.interface);
        return;
      case 'gratuitous':
        this.announce(inst, [...inst.virtualIpaddresses, ...inst.virtualIpaddressesExcluded], a.repeat);
        return;
      case 'notify':
        this.notifier.state('INSTANCE', name, inst.notify, a.state, a.priority);
        if (a.state !== 'STOP') {
          this.counters.entered(name, a.state, Date.now());
          this.deps.onState?.(inst, a.state);
          this.deps.alerts?.vrrpInstance(inst, inst.syncGroup === null ? undefined : this.groups.get(inst.syncGroup), a.state);
        }
        this.deps.log.info({ instance: name, state: a.state, priority: a.priority }, `VRRP ${name} entered ${a.state}`);
        return;
      case 'notify-event':
        this.notifier.event(name, a.event, a.priority, a.event === 'MASTER_RX_LOWER_PRI' ? inst.notifyMasterRxLowerPri : null);
    }
  }

  /** keepalived vrrp_send_link_update: `repeat` announcements of every address, each on its own device. */
  private announce(inst: VrrpInstance, vips: readonly VirtualIp[], repeat: number): void {
    for (const v of vips) {
      const dev = v.dev ?? inst.interface;
      if (!dev) continue;
      for (let n = 0; n < repeat; n++) {
        try {
          this.announcer.announce(dev, v.addr);
        } catch (err) {
          this.deps.log.warn({ instance: inst.name, vip: v.addr.text, dev, err }, 'gratuitous ARP / NA not sent');
          break;
        }
      }
    }
  }
}
