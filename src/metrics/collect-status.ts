/**
 * The small families: health (per real server and checker, per-service quorum), VRRP under the keepalived
 * exporter's names, the userspace connection table and the daemon's own counters. Each is read from its
 * source at scrape time; a source that is absent writes its families with no samples, so the names a
 * dashboard queries exist on every lvsd.
 */
import type { ConnTableStatus, DaemonCounters, HealthStatusSource, VrrpStatusSource, VrrpStateName } from '../ports/status.js';
import { CONNTABLE, DAEMON, HEALTH, UP, VRRP } from './definitions.js';
import { ExpositionWriter } from './exposition.js';
import { backendLabels, serviceRefLabels } from './labels.js';

/** keepalived-exporter's state values (internal/types/...: INIT 0, BACKUP 1, MASTER 2, FAULT 3). */
export const VRRP_STATE_VALUE: Readonly<Record<VrrpStateName, number>> = { INIT: 0, BACKUP: 1, MASTER: 2, FAULT: 3 };

export function writeHealth(w: ExpositionWriter, src: HealthStatusSource | undefined): void {
  const services = src?.services() ?? [];
  w.family(HEALTH.quorumUp);
  for (const s of services) w.sample(HEALTH.quorumUp, serviceRefLabels(s.service), s.quorumUp ? 1 : 0);
  for (const d of [HEALTH.backendUp, HEALTH.backendHealthWeight]) {
    w.family(d);
    for (const s of services) {
      const sl = serviceRefLabels(s.service);
      for (const r of s.realServers) w.sample(d, backendLabels(sl, r.address, r.port), d === HEALTH.backendUp ? Number(r.alive) : r.weight);
    }
  }
  for (const d of [HEALTH.checkerUp, HEALTH.checkerTransitions]) {
    w.family(d);
    for (const s of services) {
      const sl = serviceRefLabels(s.service);
      for (const r of s.realServers) {
        const bl = backendLabels(sl, r.address, r.port);
        // Two checkers of one type on a server get #2, #3: series must stay distinct.
        const seen = new Map<string, number>();
        for (const c of r.checkers) {
          const n = (seen.get(c.type) ?? 0) + 1;
          seen.set(c.type, n);
          w.sample(d, [...bl, n === 1 ? c.type : `${c.type}#${n}`], d === HEALTH.checkerUp ? Number(c.up) : c.transitions);
        }
      }
    }
  }
}

export function writeVrrp(w: ExpositionWriter, src: VrrpStatusSource | undefined): void {
  const insts = src?.instances() ?? [];
  const ids = (i: (typeof insts)[number]): string[] => [i.name, i.interface, String(i.vrid)];
  w.family(VRRP.state);
  for (const i of insts) {
    // keepalived-exporter: one series per VIP, ip_address "" when the instance has none.
    for (const vip of i.vips.length > 0 ? i.vips : ['']) w.sample(VRRP.state, [...ids(i), vip], VRRP_STATE_VALUE[i.state]);
  }
  const per: Array<[typeof VRRP.advertsReceived, (i: (typeof insts)[number]) => number]> = [
    [VRRP.advertsReceived, (i) => i.advertsReceived],
    [VRRP.advertsSent, (i) => i.advertsSent],
    [VRRP.becomeMaster, (i) => i.becomeMaster],
    [VRRP.releaseMaster, (i) => i.releaseMaster],
    [VRRP.priority, (i) => i.priority],
  ];
  for (const [d, get] of per) {
    w.family(d);
    for (const i of insts) w.sample(d, ids(i), get(i));
  }
  w.family(VRRP.rejections);
  for (const i of insts) {
    for (const [reason, n] of Object.entries(i.rejections)) w.sample(VRRP.rejections, [...ids(i), reason], n);
  }
}

export function writeConnTable(w: ExpositionWriter, get: (() => ConnTableStatus) | undefined): void {
  const c = get?.();
  for (const [d, v] of [[CONNTABLE.capacity, c?.capacity], [CONNTABLE.entries, c?.entries], [CONNTABLE.lookups, c?.lookups], [CONNTABLE.hits, c?.hits], [CONNTABLE.evictions, c?.evictions]] as const) {
    w.family(d);
    if (v !== undefined) w.sample(d, [], v);
  }
}

export function writeDaemon(w: ExpositionWriter, get: (() => DaemonCounters) | undefined, renderSeconds: number): void {
  w.single(UP, 1);
  const c = get?.();
  w.family(DAEMON.reconcilePasses);
  if (c) w.sample(DAEMON.reconcilePasses, [], c.reconcilePasses);
  w.family(DAEMON.reconcileOps);
  if (c) {
    w.sample(DAEMON.reconcileOps, ['ok'], c.reconcileOps - c.reconcileFailed);
    w.sample(DAEMON.reconcileOps, ['error'], c.reconcileFailed);
  }
  w.family(DAEMON.driftRepairs);
  if (c) w.sample(DAEMON.driftRepairs, [], c.driftRepairs);
  w.family(DAEMON.controlRequests);
  for (const r of c?.controlRequests ?? []) w.sample(DAEMON.controlRequests, [r.method, r.outcome], r.count);
  w.single(DAEMON.scrapeSeconds, renderSeconds);
}
