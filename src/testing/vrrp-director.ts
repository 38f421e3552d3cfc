import { execFileSync } from 'node:child_process';
import type { IpAddr } from '../model/address.js';
import type { VrrpInstance } from '../model/config-vrrp.js';
import { SystemClock } from '../platform/clock.js';
import { ProcessScriptRunner } from '../platform/script-runner.js';
import { NativeVrrpTransport } from '../platform/vrrp-socket.js';
import { WitnessGuard } from '../platform/witness-guard.js';
import type { VrrpChannel } from '../ports/vrrp-transport.js';
import { VrrpNode, type NodeEffect } from '../vrrp/node.js';
import { CrashableClock } from './crashable-clock.js';

/**
 * lvsd's VRRP engine as one director inside a network namespace, in the test's own process: a VrrpNode on
 * the real raw protocol-112 transport, its quorum witnesses (WitnessGuard) when configured, and addresses
 * set with `ip addr` as the node says. crash() stops it like SIGKILL (no priority 0, no witness goodbye,
 * addresses left where they are); stop() is the clean shutdown.
 */
export interface DirectorOptions {
  readonly ns: string;
  readonly iface: string;
  readonly addr: IpAddr;
  readonly instances: readonly VrrpInstance[];
  /** Every node effect, as it happens (state changes, sends, holds). */
  readonly onEffect?: (e: NodeEffect, at: number) => void;
}

export class Director {
  readonly clock = new CrashableClock(new SystemClock());
  readonly node: VrrpNode;
  readonly guard: WitnessGuard;
  private readonly channels = new Map<4 | 6, VrrpChannel>();
  sendErrors = 0;

  constructor(private readonly o: DirectorOptions) {
    this.guard = new WitnessGuard({ instances: o.instances, clock: this.clock, scripts: new ProcessScriptRunner() });
    this.node = new VrrpNode({
      clock: this.clock, instances: o.instances, groups: [], primary: () => o.addr,
      effects: (e) => this.effect(e), guard: this.guard,
    });
  }

  start(): void {
    const transport = new NativeVrrpTransport({ netns: `/run/netns/${this.o.ns}` });
    for (const af of new Set(this.o.instances.map((i) => i.family))) {
      this.channels.set(af, transport.open({
        family: af, interface: this.o.iface,
        onPacket: (p) => this.node.receive({ src: p.src, dst: p.dst, ttl: p.ttl, payload: p.bytes }, af, this.o.iface),
      }));
    }
    this.guard.start();
    const up = new Map([[this.o.iface, true] as const]);
    this.node.start({ interfaces: up, scripts: new Map(), files: new Map(), processes: new Map() });
  }

  crash(): void {
    this.clock.crash();
    this.close();
  }

  stop(): void {
    this.node.stop();
    this.guard.close();
    this.close();
  }

  private close(): void {
    for (const c of this.channels.values()) c.close();
    this.channels.clear();
  }

  private effect(e: NodeEffect): void {
    this.o.onEffect?.(e, this.clock.now());
    this.guard.follow(e);
    if (e.kind === 'send') {
      const dst = e.packet.dst;
      const multicast = dst.af === 4 ? /^2(2[4-9]|3\d)\./.test(dst.text) : dst.text.startsWith('ff');
      try {
        this.channels.get(dst.af)?.send(e.packet.payload, multicast ? undefined : dst);
      } catch {
        this.sendErrors++; // a downed link refuses sends; the node carries on, as a director would
      }
      return;
    }
    if (e.kind !== 'instance' || (e.action.type !== 'add-vips' && e.action.type !== 'remove-vips')) return;
    const verb = e.action.type === 'add-vips' ? 'add' : 'del';
    for (const v of e.action.vips) {
      try {
        execFileSync('ip', ['-n', this.o.ns, 'addr', verb, `${v.addr.text}/${v.prefix}`, 'dev', v.dev ?? this.o.iface], { stdio: 'ignore' });
      } catch { /* already there / already gone */ }
    }
  }
}
