import t from 'tap';
import { ServiceTable } from '../../../../src/dataplane/director/table.js';
import { TableError } from '../../../../src/model/errors.js';
import { svcId, serviceSpec, destSpec, ip } from '../../../../src/testing/specs.js';

const random = () => 4;
const id = svcId('10.0.0.1:80');

function errnoOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof TableError) return e.errno;
    throw e;
  }
  return 'no error';
}

t.test('service operations give the kernel errnos', async (t) => {
  const tb = new ServiceTable(random);
  t.equal(errnoOf(() => tb.apply({ op: 'edit-service', spec: serviceSpec(id) })), 'ESRCH');
  t.equal(errnoOf(() => tb.apply({ op: 'del-service', id })), 'ESRCH');
  t.equal(errnoOf(() => tb.apply({ op: 'add-service', spec: serviceSpec(id, { scheduler: 'nope' }) })), 'ENOENT');
  tb.apply({ op: 'add-service', spec: serviceSpec(id) });
  t.equal(errnoOf(() => tb.apply({ op: 'add-service', spec: serviceSpec(id) })), 'EEXIST');
  t.equal(errnoOf(() => tb.apply({ op: 'zero', service: svcId('10.0.0.2:80') })), 'ESRCH');
  tb.apply({ op: 'edit-service', spec: serviceSpec(id, { scheduler: 'rr' }) });
  t.equal(tb.snapshot().services[0]?.spec.scheduler, 'rr');
  t.equal(tb.find(id)?.scheduler.name, 'rr', 'a new scheduler is bound on edit');
});

t.test('destination operations give the kernel errnos', async (t) => {
  const tb = new ServiceTable(random);
  const d = destSpec('192.168.1.10:80');
  t.equal(errnoOf(() => tb.apply({ op: 'add-dest', service: id, dest: d })), 'ESRCH');
  tb.apply({ op: 'add-service', spec: serviceSpec(id) });
  t.equal(errnoOf(() => tb.apply({ op: 'edit-dest', service: id, dest: d })), 'ENOENT');
  t.equal(errnoOf(() => tb.apply({ op: 'del-dest', service: id, addr: d.addr, port: 80 })), 'ENOENT');
  tb.apply({ op: 'add-dest', service: id, dest: d });
  t.equal(errnoOf(() => tb.apply({ op: 'add-dest', service: id, dest: d })), 'EEXIST');
  t.equal(errnoOf(() => tb.apply({ op: 'add-dest', service: id, dest: destSpec('192.168.1.11:80', { lThreshold: 5 }) })), 'ERANGE');
  t.equal(errnoOf(() => tb.apply({ op: 'add-dest', service: id, dest: destSpec('[2001:db8::1]:80') })), 'EINVAL', 'v6 dest in v4 service needs tunnel');
  tb.apply({ op: 'add-dest', service: id, dest: destSpec('[2001:db8::1]:80', { fwd: 'tunnel' }) });
  tb.apply({ op: 'edit-dest', service: id, dest: { ...d, weight: 0 } });
  const snap = tb.snapshot();
  t.same(snap.services[0]?.dests.map((x) => [x.spec.addr.text, x.spec.weight]), [['2001:db8::1', 1], ['192.168.1.10', 0]], 'newest first, as the kernel lists them');
});

t.test('weight 0 keeps last_weight, and a removed dest stops being available', async (t) => {
  const tb = new ServiceTable(random);
  tb.apply({ op: 'add-service', spec: serviceSpec(id) });
  tb.apply({ op: 'add-dest', service: id, dest: destSpec('192.168.1.10:80', { weight: 7 }) });
  const svc = tb.find(id)!;
  const dest = svc.dests[0]!;
  tb.apply({ op: 'edit-dest', service: id, dest: destSpec('192.168.1.10:80', { weight: 0 }) });
  t.equal(dest.weight, 0);
  t.equal(dest.lastWeight, 7);
  tb.apply({ op: 'del-dest', service: id, addr: ip('192.168.1.10'), port: 80 });
  t.equal(dest.available, false);
  t.equal(svc.dests.length, 0);
});

t.test('raising or clearing the upper threshold lifts overload (__ip_vs_update_dest)', async (t) => {
  const tb = new ServiceTable(random);
  tb.apply({ op: 'add-service', spec: serviceSpec(id) });
  tb.apply({ op: 'add-dest', service: id, dest: destSpec('192.168.1.10:80', { uThreshold: 10 }) });
  const dest = tb.find(id)!.dests[0]!;
  dest.overloaded = true;
  tb.apply({ op: 'edit-dest', service: id, dest: destSpec('192.168.1.10:80', { uThreshold: 5 }) });
  t.equal(dest.overloaded, true, 'lowering keeps the flag');
  tb.apply({ op: 'edit-dest', service: id, dest: destSpec('192.168.1.10:80', { uThreshold: 20 }) });
  t.equal(dest.overloaded, false, 'raising clears it');
});

t.test('timeouts: zero keeps the current value; daemons start once', async (t) => {
  const tb = new ServiceTable(random);
  t.same(tb.timeouts, { tcp: 900, tcpFin: 120, udp: 300 });
  tb.apply({ op: 'set-timeouts', timeouts: { tcp: 0, tcpFin: 30, udp: 0 } });
  t.same(tb.timeouts, { tcp: 900, tcpFin: 30, udp: 300 });
  const daemon = { state: 'master' as const, mcastIfn: 'eth0', syncId: 1 };
  tb.apply({ op: 'start-daemon', daemon });
  t.equal(errnoOf(() => tb.apply({ op: 'start-daemon', daemon })), 'EEXIST');
  tb.apply({ op: 'stop-daemon', state: 'master' });
  t.equal(errnoOf(() => tb.apply({ op: 'stop-daemon', state: 'master' })), 'ESRCH');
});

t.test('flush removes everything; zero clears counters', async (t) => {
  const tb = new ServiceTable(random);
  tb.apply({ op: 'add-service', spec: serviceSpec(id) });
  tb.apply({ op: 'add-dest', service: id, dest: destSpec('192.168.1.10:80') });
  const svc = tb.find(id)!;
  svc.stats.conns = 5;
  svc.dests[0]!.stats.inBytes = 99;
  tb.apply({ op: 'zero' });
  t.equal(tb.snapshot().services[0]?.stats.conns, 0);
  t.equal(tb.snapshot().services[0]?.dests[0]?.stats.inBytes, 0);
  tb.apply({ op: 'flush' });
  t.equal(tb.snapshot().services.length, 0);
});
