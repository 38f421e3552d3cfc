import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { IpvsDataPlane } from '../../../src/planes/ipvs/plane.js';
import { reconcileOnce } from '../../../src/reconcile/loop.js';
import { planTable, planTableSliced } from '../../../src/reconcile/diff.js';
import { desiredTable, desiredTableSliced } from '../../../src/reconcile/desired.js';
import { initialHealth } from '../../../src/health/view.js';
import { loadConfig } from '../../../src/daemon/config-source.js';
import { SLICE_UNITS } from '../../../src/ports/pause.js';
import { MemoryLogger } from '../../../src/testing/logger.js';
import { svcId, serviceSpec, destSpec } from '../../../src/testing/specs.js';
import type { DestSpec } from '../../../src/model/service.js';
import type { DesiredTable } from '../../../src/reconcile/desired-table.js';

// Issue 11: a reload of 100,000 real servers must leave the event loop a turn at least every SLICE_UNITS
// real servers planned. A counting pause stands in for the event loop's turn; the work is the real planner.

/** Real servers read by the planner so far: each desired service's dests count their reads. */
let reads = 0;
class CountedDests extends Array<DestSpec> {
  override *[Symbol.iterator](): ArrayIterator<DestSpec> {
    for (let i = 0; i < this.length; i++) {
      reads++;
      yield this[i]!;
    }
  }
}

const SERVICES = 30;
const PER_SERVICE = 700;

function want(): DesiredTable {
  const services = [];
  for (let s = 0; s < SERVICES; s++) {
    const dests = new CountedDests();
    for (let i = 0; i < PER_SERVICE; i++) dests.push(destSpec(`10.${s}.${i >> 8}.${i & 255}:8080`, { weight: 1 + (i % 3) }));
    services.push({ spec: serviceSpec(svcId(`192.0.2.${s}:80`)), dests });
  }
  return { services };
}

t.test('a reconcile of 21,000 real servers pauses every SLICE_UNITS real servers and plans what planTable plans', async (t) => {
  const kernel = new FakeIpvs();
  const plane = new IpvsDataPlane(kernel);
  const table = want();
  // A third of the services are there already, with every other real server at another weight: the plan
  // mixes services to add, real servers to add, edit and leave alone.
  for (const s of table.services.slice(0, SERVICES / 3)) {
    kernel.table.apply({ op: 'add-service', spec: s.spec });
    for (const [i, d] of [...s.dests].entries()) kernel.table.apply({ op: 'add-dest', service: s.spec.id, dest: i % 2 ? { ...d, weight: 9 } : d });
  }
  const observed = await plane.snapshot();
  const expected = planTable(table, observed);

  const between: number[] = [];
  let last = 0;
  reads = 0;
  const pause = (): Promise<void> => {
    between.push(reads - last);
    last = reads;
    return Promise.resolve();
  };
  t.same(await planTableSliced(table, observed, pause), expected, 'the sliced plan is the plan');
  const total = SERVICES * PER_SERVICE;
  t.ok(between.length >= Math.floor(total / SLICE_UNITS), `${between.length} pauses for ${total} real servers`);
  t.ok(Math.max(...between) <= SLICE_UNITS, `at most ${SLICE_UNITS} real servers between pauses (saw ${Math.max(...between)})`);

  let pauses = 0;
  const r = await reconcileOnce(plane, table, new MemoryLogger(), observed, () => { pauses++; return Promise.resolve(); });
  t.same(r, { applied: expected.length, failed: 0 });
  t.ok(pauses >= Math.floor(total / SLICE_UNITS), 'reconcileOnce plans through the pause it is given');
  t.same(planTable(table, await plane.snapshot()), [], 'the table is the desired one afterwards');
});

t.test('the desired table of a 3,000-real-server file is the same sliced, with a pause every SLICE_UNITS', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-slices-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keepalived.conf');
  const lines: string[] = [];
  for (let v = 0; v < 3; v++) {
    lines.push(`virtual_server 192.0.2.${v} 80 {`, '  lb_algo rr', '  protocol TCP');
    for (let i = 0; i < 1000; i++) lines.push(`  real_server 10.${v}.${i >> 8}.${i & 255} 8080 {`, '    weight 1', '  }');
    lines.push('}');
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const config = loadConfig(file, 'test').config;
  if (!config) throw new Error('the test file does not load');
  let pauses = 0;
  const sliced = await desiredTableSliced(config, initialHealth, () => { pauses++; return Promise.resolve(); });
  t.same(sliced, desiredTable(config));
  t.equal(sliced.services.reduce((n, s) => n + s.dests.length, 0), 3000);
  t.ok(pauses >= Math.floor(3000 / SLICE_UNITS), `${pauses} pauses`);
});
