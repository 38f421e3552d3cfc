/**
 * The /status.json document (schema "lvsd-status/1", docs/STATUS.md): the table as the data plane reports
 * it, joined with health per real server, VRRP per instance and recent transitions. A real server that
 * health checking took out of the table is still listed (inTable false), so an operator sees it down
 * rather than gone. The control socket's `status` answer is the same document.
 */
import type { Counters, Rates } from '../model/stats.js';
import type { CheckerStatus, ConnTableStatus, RealServerHealth, ServiceHealth, ServiceRef, StatusSources, Transition, VrrpInstanceStatus } from '../ports/status.js';
import { serviceRef } from './labels.js';

export const STATUS_SCHEMA = 'lvsd-status/1';
/** Recent transitions kept in the document, newest last. */
export const MAX_TRANSITIONS = 50;

export interface RealServerDoc {
  readonly address: string;
  readonly port: number;
  readonly inTable: boolean;
  /** Weight in the table (null when not in it). */
  readonly weight: number | null;
  readonly forward: string | null;
  readonly activeConns: number;
  readonly inactConns: number;
  readonly stats: Counters | null;
  readonly rates: Rates | null;
  /** null when no health checker watches it. */
  readonly health: {
    readonly alive: boolean;
    readonly weight: number;
    readonly lastTransition: string | null;
    readonly checkers: ReadonlyArray<Omit<CheckerStatus, 'lastTransition'> & { readonly lastTransition: string | null }>;
  } | null;
}

export interface ServiceDoc extends ServiceRef {
  readonly scheduler: string;
  readonly persistence: number;
  /** null when no health checker watches the service. */
  readonly quorumUp: boolean | null;
  readonly stats: Counters;
  readonly rates: Rates;
  readonly realServers: readonly RealServerDoc[];
}

export interface StatusDoc {
  readonly schema: typeof STATUS_SCHEMA;
  readonly version: string;
  readonly plane: string;
  readonly startedAt: string;
  readonly now: string;
  readonly vrrp: readonly VrrpInstanceStatus[] | null;
  readonly services: readonly ServiceDoc[];
  readonly conntable: ConnTableStatus | null;
  readonly transitions: ReadonlyArray<Omit<Transition, 'at'> & { readonly at: string }>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const refKey = (s: ServiceRef): string => `${s.proto}|${s.address}|${s.port}|${s.fwmark}`;
const rsKey = (address: string, port: number): string => `${address}|${port}`;

function healthDoc(h: RealServerHealth): RealServerDoc['health'] {
  return {
    alive: h.alive, weight: h.weight, lastTransition: iso(h.lastTransition),
    checkers: h.checkers.map((c) => ({ ...c, lastTransition: iso(c.lastTransition) })),
  };
}

export async function statusDoc(src: StatusSources, now: number): Promise<StatusDoc> {
  const snap = await src.table();
  const health = new Map<string, ServiceHealth>();
  for (const s of src.health?.services() ?? []) health.set(refKey(s.service), s);
  const services = snap.services.map((svc): ServiceDoc => {
    const ref = serviceRef(svc.spec.id);
    const h = health.get(refKey(ref));
    const hrs = new Map<string, RealServerHealth>();
    for (const r of h?.realServers ?? []) hrs.set(rsKey(r.address, r.port), r);
    const realServers: RealServerDoc[] = svc.dests.map((d) => {
      const key = rsKey(d.spec.addr.text, d.spec.port);
      const rh = hrs.get(key);
      hrs.delete(key);
      return {
        address: d.spec.addr.text, port: d.spec.port, inTable: true, weight: d.spec.weight, forward: d.spec.fwd,
        activeConns: d.activeConns, inactConns: d.inactConns, stats: d.stats, rates: d.rates, health: rh ? healthDoc(rh) : null,
      };
    });
    for (const rh of hrs.values()) {
      realServers.push({ address: rh.address, port: rh.port, inTable: false, weight: null, forward: null, activeConns: 0, inactConns: 0, stats: null, rates: null, health: healthDoc(rh) });
    }
    return { ...ref, scheduler: svc.spec.scheduler, persistence: svc.spec.persistence, quorumUp: h ? h.quorumUp : null, stats: svc.stats, rates: svc.rates, realServers };
  });
  const transitions = [...(src.health?.transitions() ?? []), ...(src.vrrp?.transitions() ?? [])]
    .sort((a, b) => a.at - b.at)
    .slice(-MAX_TRANSITIONS)
    .map((t) => ({ ...t, at: new Date(t.at).toISOString() }));
  return {
    schema: STATUS_SCHEMA, version: src.version, plane: src.plane, startedAt: new Date(src.startedAt).toISOString(), now: new Date(now).toISOString(),
    vrrp: src.vrrp ? src.vrrp.instances() : null, services, conntable: src.conntable?.() ?? null, transitions,
  };
}
