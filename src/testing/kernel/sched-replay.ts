import { ServiceTable } from '../../dataplane/director/table.js';
import { DirectorFlows } from '../../dataplane/director/flows.js';
import type { Flow } from '../../dataplane/director/flow.js';
import type { TableOp } from '../../model/ops.js';
import type { ServiceId, ServiceSpec } from '../../model/service.js';
import { FakeClock } from '../fake-clock.js';
import { destSpec, ip, serviceSpec } from '../specs.js';
import { LOCALITY_EXPIRATION_S, REAL_PORT, WEIGHTS, type Action, type Counts, type Rec, type SvcDef } from './sched-diff-plan.js';
import { USERSPACE } from '../../dataplane/director/table-rules.js';

/**
 * The differential test's other half: the kernel's sequence (sched-diff-plan.ts, as the guest recorded it)
 * fed to lvsd's director — ServiceTable, DirectorFlows, the schedulers and the connection table — with the
 * guest's timestamps as its clock. Connections move through the states a socket plane reports
 * (SYN_RECV, ESTABLISHED, then Flow.end), which are the states the kernel's TCP table reaches for the
 * same exchange, so choices and ActiveConn/InActConn can be compared one for one.
 */

export function serviceId(s: SvcDef): ServiceId {
  if (s.kind === 'fwm' || s.kind === 'fwm6') return { kind: 'fwmark', fwmark: s.fwmark, af: s.kind === 'fwm' ? 4 : 6 };
  return { kind: 'addr', protocol: 'tcp', addr: ip(s.vaddrs[0]), port: s.vport };
}

export function specOf(s: SvcDef): ServiceSpec {
  const flags = { fallback: s.flags.some((f) => f.endsWith('-fallback')), port: s.flags.some((f) => f.endsWith('-port')), flag3: false };
  return serviceSpec(serviceId(s), { scheduler: s.sched, flags });
}

const realOf = (s: SvcDef, real: number, weight: number) => destSpec(`${s.reals[real].includes(':') ? `[${s.reals[real]}]` : s.reals[real]}:${REAL_PORT}`, { weight });

/** The table operations that set the plan's services up, as the guest's first ipvsadm batch does. */
export function setupOps(services: readonly SvcDef[]): TableOp[] {
  return services.flatMap((s) => [
    { op: 'add-service' as const, spec: specOf(s) },
    ...s.reals.map((_, i) => ({ op: 'add-dest' as const, service: serviceId(s), dest: realOf(s, i, WEIGHTS[i]) })),
  ]);
}

/** The table operation of an edit/add/del action, or null for the other actions. */
export function tableOp(services: readonly SvcDef[], x: Action): TableOp | null {
  if (x.a !== 'edit' && x.a !== 'add' && x.a !== 'del') return null;
  const s = services[x.svc];
  if (x.a === 'del') {
    const d = realOf(s, x.real, 0);
    return { op: 'del-dest', service: serviceId(s), addr: d.addr, port: d.port };
  }
  return { op: x.a === 'add' ? 'add-dest' : 'edit-dest', service: serviceId(s), dest: realOf(s, x.real, x.weight) };
}

export interface ReplayResult {
  /** The real server each connection went to (null: none), by connection id. */
  readonly choices: Record<number, string | null>;
  readonly counts: Counts;
}

export function replayDirector(services: readonly SvcDef[], recs: readonly Rec[], finalT: number): ReplayResult {
  const clock = new FakeClock(0);
  const table = new ServiceTable(() => 0, 4096, USERSPACE, { now: () => clock.now(), localityExpiration: LOCALITY_EXPIRATION_S * 1000 });
  const flows = new DirectorFlows(table, clock, 1 << 16);
  for (const op of setupOps(services)) table.apply(op);
  const open = new Map<number, Flow>();
  const choices: Record<number, string | null> = {};
  const at = (t: number): void => {
    if (t > clock.now()) clock.advance(t - clock.now());
    flows.expire();
  };
  for (const r of recs) {
    const x = r.action;
    at(r.t0);
    const op = tableOp(services, x);
    if (op) table.apply(op);
    else if (x.a === 'conn') {
      const s = services[x.svc];
      const svc = table.find(serviceId(s))!;
      const f = flows.open(svc, { client: ip(x.client), clientPort: x.cport, vaddr: ip(x.dst), vport: s.vport }, () => undefined);
      choices[x.id] = f ? f.dest.spec.addr.text : null;
      if (!f) continue;
      f.setState('ESTABLISHED');
      if (x.end === 'hold') open.set(x.id, f);
      else {
        at(r.t1);
        f.end(x.end);
      }
    } else if (x.a === 'finish') {
      at(r.t1);
      open.get(x.id)?.end(x.how);
      open.delete(x.id);
    }
  }
  at(finalT);
  return { choices, counts: countsOf(table, services) };
}

/** ActiveConn/InActConn per service index and real server address. */
export function countsOf(table: ServiceTable, services: readonly SvcDef[]): Counts {
  const out: Counts = {};
  services.forEach((s, i) => {
    const svc = table.find(serviceId(s));
    if (!svc) return;
    out[i] = Object.fromEntries(svc.dests.map((d) => [d.spec.addr.text, [d.activeConns, d.inactConns] as [number, number]]));
  });
  return out;
}
