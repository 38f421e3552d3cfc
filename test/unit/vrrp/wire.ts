// Test harness: VrrpNodes on an in-memory segment under a FakeClock. Every advert is encoded by the node,
// wrapped in an IPv4 header (IPv6 travels as payload), delivered after a latency, and decoded again.
import { parseIp, type IpAddr } from '../../../src/model/address.js';
import type { VrrpInstance, VrrpSyncGroup } from '../../../src/model/config-vrrp.js';
import type { FakeClock } from '../../../src/testing/fake-clock.js';
import { decodeIpv4, encodeIpv4 } from '../../../src/vrrp/codec/ipv4.js';
import { VrrpNode, type NodeEffect, type OutPacket } from '../../../src/vrrp/node.js';
import type { TrackInputs } from '../../../src/vrrp/tracking.js';

export interface Event {
  readonly at: number;
  readonly host: string;
  readonly effect: NodeEffect;
}

export class Host {
  readonly node: VrrpNode;
  /** False: the host is cut off (crashed or unplugged); it neither sends nor hears. */
  alive = true;
  /** Addresses it holds now. */
  readonly vips = new Set<string>();
  private ipId = 0;

  constructor(readonly wire: Wire, readonly name: string, readonly addr: IpAddr, instances: readonly VrrpInstance[], groups: readonly VrrpSyncGroup[]) {
    this.node = new VrrpNode({
      clock: wire.clock, instances, groups,
      primary: (c) => c.sourceIp ?? this.addr,
      effects: (e) => this.effect(e),
    });
  }

  private effect(e: NodeEffect): void {
    this.wire.log.push({ at: this.wire.clock.now(), host: this.name, effect: e });
    if (e.kind === 'send' && this.alive) this.wire.send(this, e.packet);
    if (e.kind === 'instance' && e.action.type === 'add-vips') for (const v of e.action.vips) this.vips.add(v.addr.text);
    if (e.kind === 'instance' && e.action.type === 'remove-vips') for (const v of e.action.vips) this.vips.delete(v.addr.text);
  }

  deliver(p: OutPacket): void {
    if (!this.alive) return;
    if (p.src.af === 6) {
      this.node.receive({ src: p.src, dst: p.dst, ttl: p.ttl, payload: p.payload }, 6, 'eth0');
      return;
    }
    const d = decodeIpv4(encodeIpv4({ src: p.src, dst: p.dst, ttl: p.ttl, id: ++this.ipId }, p.payload));
    if (!d.ok) throw new Error(d.detail);
    this.node.receive({ src: d.packet.src, dst: d.packet.dst, ttl: d.packet.ttl, payload: d.packet.payload }, 4, 'eth0');
  }
}

export class Wire {
  readonly hosts: Host[] = [];
  readonly log: Event[] = [];

  constructor(readonly clock: FakeClock, readonly latencyMs = 0.5) {}

  add(name: string, addr: string, instances: readonly VrrpInstance[], groups: readonly VrrpSyncGroup[] = []): Host {
    const h = new Host(this, name, parseIp(addr)!, instances, groups);
    this.hosts.push(h);
    return h;
  }

  send(from: Host, p: OutPacket): void {
    const multicast = p.dst.af === 4 ? p.dst.text.startsWith('224.') : p.dst.text.startsWith('ff');
    const payload = p.payload.slice();
    for (const h of this.hosts) {
      if (h === from || (!multicast && h.addr.text !== p.dst.text)) continue;
      this.clock.setTimer(this.latencyMs, () => h.deliver({ ...p, payload }));
    }
  }

  /** When each host's instance entered a state, in order. */
  notifies(instance: string): Array<{ at: number; host: string; state: string }> {
    return this.log.flatMap((e) => (e.effect.kind === 'instance' && e.effect.instance === instance && e.effect.action.type === 'notify'
      ? [{ at: e.at, host: e.host, state: e.effect.action.state }] : []));
  }

  /** The first time `host` notified `state` for `instance` at or after `since`. */
  firstNotify(host: string, instance: string, state: string, since = 0): number | null {
    return this.notifies(instance).find((n) => n.host === host && n.state === state && n.at >= since)?.at ?? null;
  }

  /** Adverts a host sent for an instance, with their priority. */
  adverts(host: string, instance: string, since = 0): Array<{ at: number; priority: number }> {
    return this.log.flatMap((e) => (e.host === host && e.at >= since && e.effect.kind === 'send' && e.effect.instance === instance
      ? [{ at: e.at, priority: e.effect.priority }] : []));
  }
}

/** Tracking inputs with the given interfaces up (eth0 by default) and script/file values. */
export function inputs(o: { down?: string[]; scripts?: Record<string, boolean | null>; files?: Record<string, number> } = {}): TrackInputs {
  const ifs = new Map(['eth0', 'eth1', 'eth2'].map((i) => [i, !(o.down ?? []).includes(i)] as const));
  return {
    interfaces: ifs,
    scripts: new Map(Object.entries(o.scripts ?? {})),
    files: new Map(Object.entries(o.files ?? {})),
    processes: new Map(),
  };
}
