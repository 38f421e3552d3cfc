/**
 * What VRRP shows on /metrics and /status.json: per instance its state, priority, addresses and the keepalived
 * exporter's counters (adverts received and sent, become/release master, rejections by rule), and the latest
 * state changes. VrrpNode counts what it reads and rejects; the runtime counts what it sends and carries out.
 */
import type { VrrpInstance } from '../model/config-vrrp.js';
import type { Transition, VrrpInstanceStatus } from '../ports/status.js';
import type { InstanceState, InstanceStateName } from '../vrrp/instance-types.js';

/** State changes kept for the status page, newest last. */
const MAX_TRANSITIONS = 50;

interface Counts {
  sent: number;
  becomeMaster: number;
  releaseMaster: number;
  last: InstanceStateName;
}

export class VrrpCounters {
  private readonly counts = new Map<string, Counts>();
  private readonly recent: Transition[] = [];

  /** An advert handed to the socket without error (keepalived stats->advert_sent). */
  sent(name: string): void {
    this.of(name).sent++;
  }

  /**
   * A state change carried out, at wall-clock `at` ms: becoming master and leaving it are counted as keepalived
   * counts them (vrrp.c vrrp_state_become_master / vrrp_state_leave_master: stats->become_master, release_master).
   */
  entered(name: string, state: Exclude<InstanceStateName, 'INIT'>, at: number): void {
    const c = this.of(name);
    if (state === c.last) return;
    if (state === 'MASTER') c.becomeMaster++;
    else if (c.last === 'MASTER') c.releaseMaster++;
    this.recent.push({ at, kind: 'vrrp', subject: `VRRP instance ${name}`, from: c.last, to: state });
    if (this.recent.length > MAX_TRANSITIONS) this.recent.shift();
    c.last = state;
  }

  transitions(): readonly Transition[] {
    return [...this.recent];
  }

  /** One instance as the status port names it; `received` and `rejections` are VrrpNode's counts. */
  status(inst: VrrpInstance, state: InstanceState, received: number, rejections: ReadonlyMap<string, number>): VrrpInstanceStatus {
    const c = this.of(inst.name);
    return {
      name: inst.name, interface: inst.interface ?? '', vrid: inst.virtualRouterId, state: state.name, priority: state.effectivePriority,
      vips: inst.virtualIpaddresses.map((v) => v.addr.text),
      advertsReceived: received, advertsSent: c.sent, becomeMaster: c.becomeMaster, releaseMaster: c.releaseMaster,
      rejections: Object.fromEntries(rejections),
    };
  }

  private of(name: string): Counts {
    let c = this.counts.get(name);
    if (!c) this.counts.set(name, (c = { sent: 0, becomeMaster: 0, releaseMaster: 0, last: 'INIT' }));
    return c;
  }
}
