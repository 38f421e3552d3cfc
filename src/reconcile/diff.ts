import type { TableOp } from '../model/ops.js';
import type { ServiceSpec, DestSpec, ServiceSetting, DestSetting } from '../model/service.js';
import { serviceKey, destKey, sameSchedFlags } from '../model/service.js';
import type { TableSnapshot } from '../model/table.js';
import type { DesiredTable } from './desired-table.js';
import { runAll, runSliced, type Pause, type Steps } from '../ports/pause.js';

/**
 * The plan that turns the observed table into the desired one, level-triggered: it depends only on the
 * two tables, never on how we got here. Order keeps traffic flowing: within a service, new real servers
 * go in before old ones leave (no moment with fewer servers than either table has), and whole services
 * are removed last. Services and real servers that are already right produce no operation at all.
 */
export function planTable(desired: DesiredTable, observed: TableSnapshot): TableOp[] {
  return runAll(planSteps(desired, observed));
}

/** planTable in slices: the event loop gets a turn every SLICE_UNITS services and real servers (issue 11). */
export function planTableSliced(desired: DesiredTable, observed: TableSnapshot, pause: Pause): Promise<TableOp[]> {
  return runSliced(planSteps(desired, observed), pause);
}

/** planTable's work, yielding one unit per service and real server looked at. */
function* planSteps(desired: DesiredTable, observed: TableSnapshot): Steps<TableOp[]> {
  const ops: TableOp[] = [];
  const seen = new Map(observed.services.map((s) => [serviceKey(s.spec.id), s]));
  const wanted = new Set<string>();
  for (const want of desired.services) {
    const key = serviceKey(want.spec.id);
    wanted.add(key);
    const have = seen.get(key);
    yield 1;
    if (!have) {
      ops.push({ op: 'add-service', spec: want.spec });
      for (const d of want.dests) {
        ops.push({ op: 'add-dest', service: want.spec.id, dest: d });
        yield 1;
      }
      continue;
    }
    if (!sameService(want.spec, have.spec)) ops.push({ op: 'edit-service', spec: want.spec });
    const haveDests = new Map<string, DestSpec>();
    for (const d of have.dests) {
      haveDests.set(destKey(d.spec.addr, d.spec.port), d.spec);
      yield 1;
    }
    const wantKeys = new Set<string>();
    const edits: TableOp[] = [];
    for (const d of want.dests) {
      const k = destKey(d.addr, d.port);
      wantKeys.add(k);
      const cur = haveDests.get(k);
      if (!cur) ops.push({ op: 'add-dest', service: want.spec.id, dest: d });
      else if (!sameDest(d, cur)) edits.push({ op: 'edit-dest', service: want.spec.id, dest: d });
      yield 1;
    }
    ops.push(...edits);
    for (const [k, d] of haveDests) {
      if (!wantKeys.has(k)) ops.push({ op: 'del-dest', service: want.spec.id, addr: d.addr, port: d.port });
    }
    yield haveDests.size;
  }
  for (const [key, have] of seen) if (!wanted.has(key)) ops.push({ op: 'del-service', id: have.spec.id });
  return ops;
}

type Same<T> = (a: T, b: T) => boolean;

const equal = <T>(k: keyof T): Same<T> => (a, b) => a[k] === b[k];

/** Tunnel settings reach the kernel only for tunnel real servers (netlink/ipvs/map.ts destAttrs). */
const tunnelOnly = (k: 'tunType' | 'tunPort' | 'tunFlags'): Same<DestSpec> => (a, b) => a.fwd !== 'tunnel' || a[k] === b[k];

/**
 * How each setting is compared. Mapped over every field of the spec that is not identity, so a field added
 * to ServiceSpec or DestSpec does not compile until it is listed here: drift in it cannot go unrepaired.
 */
const SERVICE_SAME: { readonly [K in ServiceSetting]: Same<ServiceSpec> } = {
  scheduler: equal('scheduler'),
  flags: (a, b) => sameSchedFlags(a.flags, b.flags),
  persistence: equal('persistence'),
  netmask: equal('netmask'),
  ops: equal('ops'),
  pe: equal('pe'),
};

const DEST_SAME: { readonly [K in DestSetting]: Same<DestSpec> } = {
  weight: equal('weight'),
  fwd: equal('fwd'),
  tunType: tunnelOnly('tunType'),
  tunPort: tunnelOnly('tunPort'),
  tunFlags: tunnelOnly('tunFlags'),
  uThreshold: equal('uThreshold'),
  lThreshold: equal('lThreshold'),
};

const SERVICE_CHECKS = Object.values(SERVICE_SAME);
const DEST_CHECKS = Object.values(DEST_SAME);

/** Whether two specs of one service have the same settings (nothing for edit-service to change). */
export function sameService(a: ServiceSpec, b: ServiceSpec): boolean {
  return SERVICE_CHECKS.every((same) => same(a, b));
}

/** Whether two specs of one real server have the same settings (nothing for edit-dest to change). */
export function sameDest(a: DestSpec, b: DestSpec): boolean {
  return DEST_CHECKS.every((same) => same(a, b));
}
