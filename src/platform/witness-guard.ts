/**
 * The TakeoverGuard of a VrrpNode over the quorum witnesses of its instances (one WitnessKeeper each, for
 * instances with lvsd_quorum_witness). The wiring passes it as NodeOptions.guard, feeds it the node's effects
 * (follow) so each slot says the instance's current state, and starts/closes it with the node.
 */
import type { VrrpInstance } from '../model/config-vrrp.js';
import type { Clock } from '../ports/clock.js';
import type { ScriptRunner } from '../ports/scripts.js';
import type { GuardVerdict, TakeoverGuard } from '../ports/takeover-guard.js';
import type { NodeEffect } from '../vrrp/node.js';
import { WitnessKeeper } from './quorum-witness.js';

const ALLOW: GuardVerdict = { allow: true };

export class WitnessGuard implements TakeoverGuard {
  private readonly keepers = new Map<string, WitnessKeeper>();

  constructor(o: { instances: readonly VrrpInstance[]; clock: Clock; scripts: ScriptRunner; onError?: (message: string) => void }) {
    for (const instance of o.instances) {
      const witness = instance.quorumWitness;
      if (witness) this.keepers.set(instance.name, new WitnessKeeper({ instance, witness, clock: o.clock, scripts: o.scripts, ...(o.onError ? { onError: o.onError } : {}) }));
    }
  }

  get size(): number {
    return this.keepers.size;
  }

  /** Opens every witness; throws naming the instance and path that cannot be opened. */
  start(): void {
    for (const k of this.keepers.values()) k.start();
  }

  /** A node effect: state changes (notify) and priority changes go to the instance's slot. */
  follow(e: NodeEffect): void {
    if (e.kind !== 'instance') return;
    const k = this.keepers.get(e.instance);
    const a = e.action;
    if (!k) return;
    if (a.type === 'notify') k.report(a.state === 'STOP' ? 'INIT' : a.state, a.priority);
    else if (a.type === 'notify-event' && a.event !== 'MASTER_RX_LOWER_PRI') k.report(a.event === 'MASTER_PRIORITY' ? 'MASTER' : 'BACKUP', a.priority);
  }

  approve(instance: VrrpInstance, priority: number): Promise<GuardVerdict> {
    return this.keepers.get(instance.name)?.approve(priority) ?? Promise.resolve(ALLOW);
  }

  close(): void {
    for (const k of this.keepers.values()) k.close();
  }
}
