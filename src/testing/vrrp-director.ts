import { execFile } from 'node:child_process';
import type { IpAddr } from '../model/address.js';
import type { VrrpInstance } from '../model/config-vrrp.js';
import { FrameAnnouncer } from '../platform/announcer.js';
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
 * set with `ip addr` and announced (gratuitous ARP / unsolicited NA) as the node says. crash() stops it like SIGKILL (no priority 0, no witness goodbye,
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
  private readonly announcer: FrameAnnouncer;
  /** `ip addr` changes, one after another and off the event loop: the node's timers must not wait for them. */
  private ipChain: Promise<void> = Promise.resolve();
  /** The addresses set now, for gratuitous announcements. */
  private readonly vips = new Map<string, { addr: IpAddr; dev: string }>();
  sendErrors = 0;
  /** Clock time of the last packet heard, and of the last state notification with its state. */
  lastHeard: number | null = null;
  lastNotify: { readonly at: number; readonly state: string } | null = null;

  constructor(private readonly o: DirectorOptions) {
    this.announcer = new FrameAnnouncer({ netns: `/run/netns/${o.ns}` });
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
        onPacket: (p) => {
          this.lastHeard = this.clock.now();
          this.node.receive({ src: p.src, dst: p.dst, ttl: p.ttl, payload: p.bytes }, af, this.o.iface);
        },
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
    this.announcer.close();
  }

  private effect(e: NodeEffect): void {
    this.o.onEffect?.(e, this.clock.now());
    if (e.kind === 'instance' && e.action.type === 'notify') this.lastNotify = { at: this.clock.now(), state: e.action.state };
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
    if (e.kind !== 'instance') return;
    const a = e.action;
    if (a.type === 'gratuitous') {
      // After the addresses are set: an announcement for an address the interface does not hold misleads.
      const vips = [...this.vips.values()];
      this.ipChain = this.ipChain.then(() => {
        if (this.channels.size === 0) return; // crashed or stopped meanwhile
        try {
          for (let i = 0; i < a.repeat; i++) for (const v of vips) this.announcer.announce(v.dev, v.addr);
        } catch {
          this.sendErrors++; // a downed link refuses frames too
        }
      });
      return;
    }
    if (a.type !== 'add-vips' && a.type !== 'remove-vips') return;
    for (const v of a.vips) {
      const dev = v.dev ?? this.o.iface;
      if (a.type === 'add-vips') this.vips.set(v.addr.text, { addr: v.addr, dev });
      else this.vips.delete(v.addr.text);
      const args = ['-n', this.o.ns, 'addr', a.type === 'add-vips' ? 'add' : 'del', `${v.addr.text}/${v.prefix}`, 'dev', dev];
      // An address already there / already gone is no failure here.
      this.ipChain = this.ipChain.then(() => new Promise((done) => { execFile('ip', args, () => done()); }));
    }
  }
}
