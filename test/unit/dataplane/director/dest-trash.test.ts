import t from 'tap';
import { ServiceTable } from '../../../../src/dataplane/director/table.js';
import { DirectorFlows } from '../../../../src/dataplane/director/flows.js';
import { FakeClock } from '../../../../src/testing/fake-clock.js';
import { svcId, serviceSpec, destSpec, ip } from '../../../../src/testing/specs.js';
import { USERSPACE } from '../../../../src/dataplane/director/table-rules.js';

const id = svcId('10.0.0.1:80');
const A = destSpec('192.168.1.10:80');
const B = destSpec('192.168.1.11:80');

function director() {
  const clock = new FakeClock(1_000);
  const table = new ServiceTable(() => 4, 4096, USERSPACE, { now: () => clock.now() });
  const flows = new DirectorFlows(table, clock, 1024);
  table.apply({ op: 'add-service', spec: serviceSpec(id, { scheduler: 'wlc' }) });
  const svc = table.find(id)!;
  const open = (clientPort: number) => flows.open(svc, { client: ip('203.0.113.7'), clientPort, vaddr: ip('10.0.0.1'), vport: 80 }, () => undefined);
  const counts = () => table.snapshot().services[0]!.dests.map((d) => [d.spec.addr.text, d.activeConns, d.inactConns, d.stats.conns]);
  return { clock, table, flows, svc, open, counts };
}

t.test('a real server deleted and re-added comes back with its connection counts and stats', async (t) => {
  const { table, svc, open, counts } = director();
  table.apply({ op: 'add-dest', service: id, dest: A });
  const held = open(40000)!;
  held.setState('ESTABLISHED');
  open(40001)!.setState('ESTABLISHED');
  const a = svc.dests[0]!;
  table.apply({ op: 'del-dest', service: id, addr: A.addr, port: 80 });
  table.apply({ op: 'add-dest', service: id, dest: B });
  table.apply({ op: 'add-dest', service: id, dest: A });
  t.equal(svc.dests[0], a, 'the same dest, taken back from the trash (ip_vs_trash_get_dest)');
  t.same(counts(), [['192.168.1.10', 2, 0, 2], ['192.168.1.11', 0, 0, 0]]);
  t.equal(open(40002)!.dest.spec.addr.text, '192.168.1.11', 'wlc sees A still loaded: B');
  held.setState('CLOSE');
  t.same(counts()[0], ['192.168.1.10', 1, 1, 2], 'connections opened before the delete still count on it');
});

t.test('an unreferenced dest stays in the trash until the third 60 s tick after it entered', async (t) => {
  const { clock, table, flows, svc, open } = director();
  table.apply({ op: 'add-dest', service: id, dest: A });
  const f = open(40000)!;
  f.setState('CLOSE');
  f.release();
  clock.advance(10_000);
  flows.expire(); // the CLOSE entry (10 s) goes: A is unreferenced
  const a = svc.dests[0]!;
  t.equal(a.inactConns + a.activeConns, 0);
  const deletedAt = clock.now();
  table.apply({ op: 'del-dest', service: id, addr: A.addr, port: 80 });
  // Ticks at +60 s (idle_start stamped), +120 s (60 s idle: kept), +180 s (120 s idle: freed).
  clock.advance(179_999);
  flows.expire();
  t.equal(table.destById(a.id), a, 'still in the trash just before +180 s');
  table.apply({ op: 'add-dest', service: id, dest: A });
  t.equal(svc.dests[0], a, 're-added from the trash: the same dest');
  t.equal(a.stats.conns, 1, 'with its counters');
  table.apply({ op: 'del-dest', service: id, addr: A.addr, port: 80 });
  const second = clock.now();
  clock.advance(180_000);
  flows.expire();
  t.equal(table.destById(a.id), undefined, `freed at the third tick after it entered (${clock.now() - second} ms), ${clock.now() - deletedAt} ms after the first delete`);
  table.apply({ op: 'add-dest', service: id, dest: A });
  t.not(svc.dests[0], a, 'a new dest');
  t.equal(svc.dests[0]!.stats.conns, 0, 'with fresh counters');
});

t.test('a dest with connections is kept while they last, then 120 s more', async (t) => {
  const { clock, table, flows, svc, open } = director();
  table.apply({ op: 'add-dest', service: id, dest: A });
  const f = open(40000)!;
  f.setState('ESTABLISHED');
  const a = svc.dests[0]!;
  table.apply({ op: 'del-dest', service: id, addr: A.addr, port: 80 });
  clock.advance(600_000);
  flows.expire();
  t.equal(table.destById(a.id), a, 'an established connection (900 s) holds it');
  f.setState('CLOSE');
  f.release();
  clock.advance(60_000); // tick at +660 s: the connection expired at +610 s; idle_start stamped
  flows.expire();
  clock.advance(60_000); // +720 s: 60 s idle
  flows.expire();
  t.equal(table.destById(a.id), a, 'idle 60 s: kept');
  clock.advance(60_000); // +780 s: 120 s idle
  flows.expire();
  t.equal(table.destById(a.id), undefined, 'idle 120 s: freed');
});

t.test('a deleted service leaves its dests in the trash for the same service to take back', async (t) => {
  const { table } = director();
  table.apply({ op: 'add-dest', service: id, dest: A });
  const a = table.find(id)!.dests[0]!;
  a.stats.conns = 5;
  table.apply({ op: 'del-service', id });
  table.apply({ op: 'add-service', spec: serviceSpec(id, { scheduler: 'wlc' }) });
  table.apply({ op: 'add-dest', service: svcId('10.0.0.1:80'), dest: A });
  t.equal(table.find(id)!.dests[0], a);
  const other = svcId('10.0.0.2:80');
  table.apply({ op: 'add-service', spec: serviceSpec(other) });
  table.apply({ op: 'del-dest', service: id, addr: A.addr, port: 80 });
  table.apply({ op: 'add-dest', service: other, dest: A });
  t.not(table.find(other)!.dests[0], a, 'another service does not get it (vaddr/vport must match)');
});
