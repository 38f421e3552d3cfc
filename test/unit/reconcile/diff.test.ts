import t from 'tap';
import fc from 'fast-check';
import { planTable } from '../../../src/reconcile/diff.js';
import type { DesiredTable, DesiredService } from '../../../src/reconcile/desired-table.js';
import { ServiceTable } from '../../../src/dataplane/director/table.js';
import { svcId, serviceSpec, destSpec } from '../../../src/testing/specs.js';
import { serviceKey, destKey } from '../../../src/model/service.js';
import type { TableSnapshot } from '../../../src/model/table.js';

const random = () => 7;

function load(tb: ServiceTable, d: DesiredTable): void {
  for (const s of d.services) {
    tb.apply({ op: 'add-service', spec: s.spec });
    for (const x of s.dests) tb.apply({ op: 'add-dest', service: s.spec.id, dest: x });
  }
}

/** The table's content as comparable data: services and dests by key, order-free. */
function content(s: TableSnapshot | DesiredTable): string {
  const rows = s.services.map((svc) => {
    const dests = svc.dests.map((d) => ('spec' in d ? d.spec : d)).map((d) => `${destKey(d.addr, d.port)} ${JSON.stringify(d)}`).sort();
    return `${serviceKey(svc.spec.id)} ${JSON.stringify(svc.spec)}\n  ${dests.join('\n  ')}`;
  });
  return rows.sort().join('\n');
}

const svcA = svcId('10.0.0.1:80');
const svcB = svcId('10.0.0.2:53', 'udp');

t.test('an unchanged table plans nothing', async (t) => {
  const want: DesiredTable = { services: [{ spec: serviceSpec(svcA), dests: [destSpec('192.168.0.1:80'), destSpec('192.168.0.2:80')] }] };
  const tb = new ServiceTable(random);
  load(tb, want);
  t.same(planTable(want, tb.snapshot()), []);
});

t.test('new real servers go in before old ones leave; dead services go last', async (t) => {
  const tb = new ServiceTable(random);
  load(tb, {
    services: [
      { spec: serviceSpec(svcA), dests: [destSpec('192.168.0.1:80'), destSpec('192.168.0.2:80')] },
      { spec: serviceSpec(svcB), dests: [] },
    ],
  });
  const want: DesiredTable = {
    services: [{ spec: serviceSpec(svcA, { scheduler: 'rr' }), dests: [destSpec('192.168.0.2:80', { weight: 5 }), destSpec('192.168.0.3:80')] }],
  };
  const plan = planTable(want, tb.snapshot());
  t.same(plan.map((o) => o.op), ['edit-service', 'add-dest', 'edit-dest', 'del-dest', 'del-service']);
  for (const op of plan) tb.apply(op);
  t.equal(content(tb.snapshot()), content(want));
});

const addr = fc.integer({ min: 1, max: 6 });
const destArb = fc.record({ host: addr, weight: fc.integer({ min: 0, max: 4 }), fwd: fc.constantFrom('masq' as const, 'route' as const), u: fc.constantFrom(0, 50) });
const svcArb = fc.record({
  host: addr,
  udp: fc.boolean(),
  sched: fc.constantFrom('rr', 'wlc', 'sh', 'mh'),
  persist: fc.constantFrom(0, 300),
  dests: fc.uniqueArray(destArb, { selector: (d) => d.host, maxLength: 5 }),
});
const tableArb = fc.uniqueArray(svcArb, { selector: (s) => `${s.host}/${s.udp}`, maxLength: 6 }).map((list): DesiredTable => ({
  services: list.map((s): DesiredService => ({
    spec: serviceSpec(svcId(`10.1.0.${s.host}:80`, s.udp ? 'udp' : 'tcp'), { scheduler: s.sched, persistence: s.persist }),
    dests: s.dests.map((d) => destSpec(`192.168.1.${d.host}:80`, { weight: d.weight, fwd: d.fwd, uThreshold: d.u })),
  })),
}));

t.test('from any table to any table: the plan applies cleanly, lands exactly, and is then empty', async (t) => {
  fc.assert(
    fc.property(tableArb, tableArb, (from, to) => {
      const tb = new ServiceTable(random);
      load(tb, from);
      for (const op of planTable(to, tb.snapshot())) tb.apply(op);
      return content(tb.snapshot()) === content(to) && planTable(to, tb.snapshot()).length === 0;
    }),
    { numRuns: 300, seed: 42 },
  );
  t.pass('300 random table pairs reconciled');
});
