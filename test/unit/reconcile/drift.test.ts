import t from 'tap';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { IpvsDataPlane } from '../../../src/planes/ipvs/plane.js';
import { reconcileOnce } from '../../../src/reconcile/loop.js';
import { MemoryLogger } from '../../../src/testing/logger.js';
import { svcId, serviceSpec, destSpec, ip } from '../../../src/testing/specs.js';
import type { DesiredTable } from '../../../src/reconcile/desired-table.js';

const web = svcId('10.0.0.1:80');
const dns = svcId('10.0.0.2:53', 'udp');
const want: DesiredTable = {
  services: [
    { spec: serviceSpec(web, { scheduler: 'wrr' }), dests: [destSpec('192.168.1.10:80', { weight: 3 }), destSpec('192.168.1.11:80')] },
    { spec: serviceSpec(dns, { scheduler: 'sh' }), dests: [destSpec('192.168.1.20:53', { fwd: 'route' })] },
  ],
};

function setup() {
  const kernel = new FakeIpvs();
  const plane = new IpvsDataPlane(kernel);
  const log = new MemoryLogger();
  return { kernel, plane, log };
}

t.test('start-up adopts a table that is already right: not one operation', async (t) => {
  const { kernel, plane, log } = setup();
  for (const s of want.services) {
    kernel.table.apply({ op: 'add-service', spec: s.spec });
    for (const d of s.dests) kernel.table.apply({ op: 'add-dest', service: s.spec.id, dest: d });
  }
  kernel.table.find(web)!.stats.conns = 1234; // live counters must survive adoption
  const r = await reconcileOnce(plane, want, log);
  t.same(r, { applied: 0, failed: 0 });
  t.same(kernel.log, [], 'nothing was sent to the kernel (no flush, no re-add)');
  t.equal((await plane.snapshot()).services[0]!.stats.conns, 1234);
});

t.test('a read-back the caller already holds is planned from, not read again', async (t) => {
  const { kernel, plane, log } = setup();
  const observed = await plane.snapshot();
  let reads = 0;
  const counting = Object.assign(Object.create(plane) as IpvsDataPlane, { snapshot: () => { reads++; return plane.snapshot(); } });
  t.same(await reconcileOnce(counting, want, log, observed), { applied: 5, failed: 0 });
  t.equal(reads, 0, 'the table was not read a second time');
  t.same(await reconcileOnce(counting, want, log), { applied: 0, failed: 0 }, 'without one the pass reads the table itself');
  t.equal(reads, 1);
  t.equal(kernel.table.find(web)?.dests.length, 2);
});

t.test('drift made by hand is repaired and the log says what', async (t) => {
  const { kernel, plane, log } = setup();
  await reconcileOnce(plane, want, log);
  // Someone runs ipvsadm by hand: a weight changed, a real server deleted, a stray service added.
  kernel.table.apply({ op: 'edit-dest', service: web, dest: destSpec('192.168.1.10:80', { weight: 9 }) });
  kernel.table.apply({ op: 'del-dest', service: dns, addr: ip('192.168.1.20'), port: 53 });
  kernel.table.apply({ op: 'add-service', spec: serviceSpec(svcId('10.9.9.9:22')) });
  kernel.log.length = 0;
  log.lines.length = 0;
  const r = await reconcileOnce(plane, want, log);
  t.same(r, { applied: 3, failed: 0 });
  t.same(log.lines.map((l) => (l.obj as { change: string }).change).sort(), [
    'add-dest udp:10.0.0.2:53 192.168.1.20:53 route w1',
    'del-service tcp:10.9.9.9:22',
    'edit-dest tcp:10.0.0.1:80 192.168.1.10:80 masq w3',
  ]);
  t.same((await reconcileOnce(plane, want, log)).applied, 0, 'the next pass finds nothing to do');
});

t.test('a refused change is logged and retried by the next pass', async (t) => {
  const { kernel, plane, log } = setup();
  kernel.failNext((op) => op.op === 'add-dest', 'ENOMEM');
  const first = await reconcileOnce(plane, want, log);
  t.same(first, { applied: 4, failed: 1 });
  t.match(log.lines.find((l) => l.level === 'error'), { msg: 'table change refused', obj: { errno: 'ENOMEM' } });
  const second = await reconcileOnce(plane, want, log);
  t.same(second, { applied: 1, failed: 0 });
  t.equal((await plane.snapshot()).services.flatMap((s) => s.dests).length, 3);
});
