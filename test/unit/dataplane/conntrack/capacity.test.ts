import t from 'tap';
import { FlowKey, TcpState, persistKey, toConnEntry } from '../../../../src/dataplane/conntrack/index.js';
import { parseIp } from '../../../../src/model/address.js';
import { harness } from './fixtures/harness.js';

const tcp = (i: number) => new FlowKey().setV4(6, 0x0a000000 + i, 40000 + i, 0xc0a80001, 80);

t.test('at capacity the entry nearest expiry is evicted and counted', async (t) => {
  const h = harness({ capacity: 3 });
  const a = h.table.open(tcp(1), 1, 0, 0);
  const b = h.table.open(tcp(2), 1, 0, 0);
  const c = h.table.open(tcp(3), 2, 0, 0);
  h.table.setState(a, TcpState.ESTABLISHED, 0);
  h.table.setState(b, TcpState.CLOSE, 0); // 10 s: nearest
  h.table.setState(c, TcpState.ESTABLISHED, 0);
  const d = h.table.open(tcp(4), 2, 0, 1);
  t.ok(d >= 0);
  t.equal(h.table.size, 3);
  t.equal(h.table.lookup(tcp(2)), -1, 'the CLOSE entry went');
  t.same(h.drops, [[b, 'evicted']]);
  t.equal(h.table.stats.evictions, 1);
  t.same([h.dests.get(1)!.activeConns, h.dests.get(1)!.inactConns], [1, 0], 'evicted entry unbound');
  t.equal(h.table.open(tcp(4), 2, 0, 1), d, 'an existing key is not a new entry');
  t.equal(h.table.stats.evictions, 1);
});

t.test('templates that control connections are never evicted; then new entries are refused', async (t) => {
  const h = harness({ capacity: 2 });
  const svc = { af: 4 as const, port: 80, fwmark: 0, netmask: 0xffffffff };
  const tpl = h.table.openTemplate(persistKey(new FlowKey(), svc, tcp(1)), 1, 0, 1000, 0);
  const c = h.table.open(tcp(1), 1, 0, 0, false, tpl);
  t.ok(c >= 0, 'the template being linked is not evicted for its own connection');
  h.table.setState(c, TcpState.ESTABLISHED, 0);
  t.equal(h.table.open(tcp(2), 1, 0, 0), c === -1 ? 0 : h.table.lookup(tcp(2)));
  t.equal(h.table.stats.evictions, 1, 'the connection (not the template) was evicted');
  t.equal(h.table.lookup(tcp(1)), -1);
  const full = harness({ capacity: 1 });
  const t1 = full.table.openTemplate(persistKey(new FlowKey(), svc, tcp(1)), 1, 0, 1000, 0);
  t.equal(full.table.open(tcp(1), 1, 0, 0, false, t1), -1, 'only entry is the protected template');
  t.equal(full.table.stats.refusals, 1);
  t.equal(full.dests.get(1)!.inactConns, 0);
});

t.test('listing: kernel names, whole seconds left, ConnEntry text', async (t) => {
  const h = harness();
  const r = h.table.open(tcp(1), 1, 0, 0);
  h.table.setState(r, TcpState.ESTABLISHED, 0);
  const v6 = new FlowKey().setV6(17, [0x20010db8, 0, 0, 1], 5353, [0x20010db8, 0, 0, 2], 53);
  h.table.packet(h.table.open(v6, 2, 0, 0), 0, 0, 0);
  const fw = persistKey(new FlowKey(), { af: 4, port: 0, fwmark: 7, netmask: 0xffffff00 }, tcp(9));
  h.table.openTemplate(fw, 1, 0, 360_000, 0);
  const rows = [...h.table.entries(1500)];
  t.same(rows.map((v) => [v.proto, v.state, v.expires, v.template]), [
    ['TCP', 'ESTABLISHED', 898, false],
    ['IP', 'NONE', 358, true],
    ['UDP', 'UDP', 298, false],
  ]);
  const where = (id: number) => ({ addr: parseIp(id === 1 ? '10.1.0.1' : '2001:db8::99')!, port: 8080 });
  t.same(rows.map((v) => toConnEntry(v, where)), [
    { proto: 'TCP', expires: 898, state: 'ESTABLISHED', client: '10.0.0.1:40001', virtual: '192.168.0.1:80', dest: '10.1.0.1:8080' },
    { proto: 'IP', expires: 358, state: 'NONE', client: '10.0.0.0:0', virtual: '0.0.0.7:0', dest: '10.1.0.1:0' },
    { proto: 'UDP', expires: 298, state: 'UDP', client: '[2001:db8::1]:5353', virtual: '[2001:db8::2]:53', dest: '[2001:db8::99]:8080' },
  ]);
});
