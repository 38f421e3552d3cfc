import t from 'tap';
import { Dir, FlowKey, TcpFlag, TcpState } from '../../../../src/dataplane/conntrack/index.js';
import { harness, makeDest } from './fixtures/harness.js';

const { SYN, ACK, FIN, RST } = TcpFlag;
const tcp = (i: number) => new FlowKey().setV4(6, 0x0a000000 + i, 40000 + i, 0xc0a80001, 80);
const udp = (i: number) => new FlowKey().setV4(17, 0x0a000000 + i, 40000 + i, 0xc0a80001, 53);
const counts = (h: ReturnType<typeof harness>, id = 1) => {
  const d = h.dests.get(id)!;
  return [d.activeConns, d.inactConns, d.persistConns];
};

t.test('new connections start inactive; active states move them, leaving moves back', async (t) => {
  const h = harness();
  const ref = h.table.open(tcp(1), 1, 0, 0);
  t.same(counts(h), [0, 1, 0], 'ip_vs_bind_dest: InActConn');
  t.equal(h.table.state(ref), TcpState.NONE);
  h.table.packet(ref, Dir.INPUT, SYN, 0);
  t.same(counts(h), [1, 0, 0], 'SYN_RECV counts active (kernel 4.8+)');
  h.table.packet(ref, Dir.OUTPUT, SYN | ACK, 1);
  h.table.packet(ref, Dir.INPUT, ACK, 2);
  t.equal(h.table.state(ref), TcpState.ESTABLISHED);
  t.same(counts(h), [1, 0, 0]);
  h.table.packet(ref, Dir.INPUT, FIN | ACK, 3);
  t.equal(h.table.state(ref), TcpState.CLOSE_WAIT);
  t.same(counts(h), [0, 1, 0], 'leaving the active states');
  h.table.packet(ref, Dir.INPUT, RST, 4);
  t.same(counts(h), [0, 1, 0]);
  t.same(h.changes, [1, 1, 1], 'onDestChange on bind and on each move, not on same-class changes');
});

t.test('before 4.8: only ESTABLISHED is active', async (t) => {
  const h = harness({ onlyEstablishedActive: true });
  const ref = h.table.open(tcp(1), 1, 0, 0);
  h.table.packet(ref, Dir.INPUT, SYN, 0);
  t.same(counts(h), [0, 1, 0]);
  h.table.packet(ref, Dir.INPUT, ACK, 0);
  t.same(counts(h), [1, 0, 0]);
  h.table.setState(ref, TcpState.FIN_WAIT, 0);
  t.same(counts(h), [0, 1, 0]);
});

t.test('UDP is always inactive; expiry and removal unbind', async (t) => {
  const h = harness();
  const u = h.table.open(udp(1), 1, 0, 0);
  h.table.packet(u, Dir.INPUT, 0, 0);
  h.table.packet(u, Dir.OUTPUT, 0, 0);
  h.table.setState(u, TcpState.ESTABLISHED, 0);
  t.same(counts(h), [0, 1, 0]);
  t.notOk(h.table.isActive(u));
  const c = h.table.open(tcp(2), 1, 0, 0);
  h.table.setState(c, TcpState.ESTABLISHED, 0);
  t.same(counts(h), [1, 1, 0]);
  t.equal(h.table.expire(300_000 - 1), 0);
  t.equal(h.table.expire(300_000), 1, 'UDP expires after 300 s');
  t.same(counts(h), [1, 0, 0]);
  t.same(h.drops, [[u, 'expired']]);
  t.ok(h.table.remove(c));
  t.same(counts(h), [0, 0, 0]);
  t.equal(h.table.size, 0);
  t.same([h.table.stats.expirations, h.table.stats.removals], [1, 1]);
});

t.test('a dest that is gone: the entry keeps no accounting', async (t) => {
  const h = harness();
  const ref = h.table.open(tcp(1), 7, 0, 0);
  t.equal(h.table.dest(ref), 7);
  h.table.packet(ref, Dir.INPUT, SYN, 0);
  h.table.remove(ref);
  t.same(h.changes, []);
  const d1 = h.dests.get(1)!;
  const r1 = h.table.open(tcp(2), 1, 0, 0);
  h.table.setState(r1, TcpState.ESTABLISHED, 0);
  h.dests.delete(1); // removed while the connection lives
  h.table.setState(r1, TcpState.CLOSE, 0);
  h.table.remove(r1);
  t.same([d1.activeConns, d1.inactConns], [1, 0], 'nothing touched after removal');
});

t.test('upper threshold only: set at total >= u, cleared below 3/4 of u (ip_vs_conn.c)', async (t) => {
  const h = harness({}, [makeDest(1, 4, 0)]);
  const d = h.dests.get(1)!;
  const refs = [0, 1, 2].map((i) => h.table.open(tcp(i), 1, 0, 0));
  t.notOk(d.overloaded);
  refs.push(h.table.open(tcp(3), 1, 0, 0));
  t.ok(d.overloaded, 'total 4 >= 4');
  h.table.setState(refs[0]!, TcpState.ESTABLISHED, 0);
  t.ok(d.overloaded, 'a state move does not re-check');
  h.table.remove(refs[0]!);
  t.ok(d.overloaded, '3*4 = 12 is not < 12');
  h.table.remove(refs[1]!);
  t.notOk(d.overloaded, '2*4 < 12');
});

t.test('lower threshold decides the clearing when set', async (t) => {
  const h = harness({}, [makeDest(1, 4, 2)]);
  const d = h.dests.get(1)!;
  const refs = [0, 1, 2, 3].map((i) => h.table.open(tcp(i), 1, 0, 0));
  t.ok(d.overloaded);
  h.table.remove(refs[0]!);
  h.table.remove(refs[1]!);
  t.ok(d.overloaded, 'total 2 is not < 2');
  h.table.remove(refs[2]!);
  t.notOk(d.overloaded, 'total 1 < 2');
});

t.test('no thresholds: any unbind clears; templates count apart but trigger the check', async (t) => {
  const h = harness({}, [makeDest(1, 2, 0), makeDest(2)]);
  const d2 = h.dests.get(2)!;
  d2.overloaded = true;
  h.table.remove(h.table.open(tcp(1), 2, 0, 0));
  t.notOk(d2.overloaded, 'unthresholded dest cleared on unbind');
  const d1 = h.dests.get(1)!;
  const tk = new FlowKey().setV4(6, 0x0a000000, 0, 0xc0a80001, 80);
  tk.meta |= 0x100;
  h.table.openTemplate(tk, 1, 0, 60_000, 0);
  t.same(counts(h), [0, 0, 1]);
  t.notOk(d1.overloaded, 'templates are not in the total');
  h.table.open(tcp(1), 1, 0, 0);
  h.table.open(tcp(2), 1, 0, 0);
  t.ok(d1.overloaded);
});
