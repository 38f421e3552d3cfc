import type { TableOp } from '../model/ops.js';
import type { ServiceSpec, DestSpec } from '../model/service.js';
import { serviceKey, destKey, sameSchedFlags } from '../model/service.js';
import type { TableSnapshot } from '../model/table.js';
import type { DesiredTable } from './desired-table.js';

/**
 * The plan that turns the observed table into the desired one, level-triggered: it depends only on the
 * two tables, never on how we got here. Order keeps traffic flowing: within a service, new real servers
 * go in before old ones leave (no moment with fewer servers than either table has), and whole services
 * are removed last. Services and real servers that are already right produce no operation at all.
 */
export function planTable(desired: DesiredTable, observed: TableSnapshot): TableOp[] {
  const ops: TableOp[] = [];
  const seen = new Map(observed.services.map((s) => [serviceKey(s.spec.id), s]));
  const wanted = new Set<string>();
  for (const want of desired.services) {
    const key = serviceKey(want.spec.id);
    wanted.add(key);
    const have = seen.get(key);
    if (!have) {
      ops.push({ op: 'add-service', spec: want.spec });
      for (const d of want.dests) ops.push({ op: 'add-dest', service: want.spec.id, dest: d });
      continue;
    }
    if (!sameService(want.spec, have.spec)) ops.push({ op: 'edit-service', spec: want.spec });
    const haveDests = new Map(have.dests.map((d) => [destKey(d.spec.addr, d.spec.port), d.spec]));
    const wantKeys = new Set<string>();
    const edits: TableOp[] = [];
    for (const d of want.dests) {
      const k = destKey(d.addr, d.port);
      wantKeys.add(k);
      const cur = haveDests.get(k);
      if (!cur) ops.push({ op: 'add-dest', service: want.spec.id, dest: d });
      else if (!sameDest(d, cur)) edits.push({ op: 'edit-dest', service: want.spec.id, dest: d });
    }
    ops.push(...edits);
    for (const [k, d] of haveDests) {
      if (!wantKeys.has(k)) ops.push({ op: 'del-dest', service: want.spec.id, addr: d.addr, port: d.port });
    }
  }
  for (const [key, have] of seen) if (!wanted.has(key)) ops.push({ op: 'del-service', id: have.spec.id });
  return ops;
}

export function sameService(a: ServiceSpec, b: ServiceSpec): boolean {
  return a.scheduler === b.scheduler && sameSchedFlags(a.flags, b.flags)
    && a.persistence === b.persistence && a.netmask === b.netmask && a.ops === b.ops && a.pe === b.pe;
}

export function sameDest(a: DestSpec, b: DestSpec): boolean {
  return a.weight === b.weight && a.fwd === b.fwd && a.uThreshold === b.uThreshold && a.lThreshold === b.lThreshold
    && (a.fwd !== 'tunnel' || (a.tunType === b.tunType && a.tunPort === b.tunPort && a.tunFlags === b.tunFlags));
}
