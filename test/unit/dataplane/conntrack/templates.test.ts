import t from 'tap';
import { Dir, FlowKey, TcpFlag, TcpState, persistKey, type PersistService } from '../../../../src/dataplane/conntrack/index.js';
import { v6ToWords } from '../../../../src/model/address.js';
import { harness } from './fixtures/harness.js';

const svc4: PersistService = { af: 4, port: 443, fwmark: 0, netmask: 0xffffff00 };
const conn4 = (host: number, cport: number, vport = 443) => new FlowKey().setV4(6, 0x0a000100 + host, cport, 0xc0a80001, vport);

t.test('persistKey: masks the client, zeroes cport, follows the kernel key rules', async (t) => {
  const k = persistKey(new FlowKey(), svc4, conn4(77, 50000));
  t.same([k.template, k.proto, k.c[0]! >>> 0, k.cport, k.v[0]! >>> 0, k.vport], [true, 6, 0x0a000100, 0, 0xc0a80001, 443]);
  t.equal(persistKey(new FlowKey(), svc4, conn4(200, 1)).c[0], k.c[0], 'same /24 → same template');
  const ftp = persistKey(new FlowKey(), { ...svc4, port: 21 }, conn4(1, 2, 21));
  t.equal(ftp.vport, 0, 'FTP service: vport 0');
  const zero = persistKey(new FlowKey(), { ...svc4, port: 0 }, conn4(1, 2, 8080));
  t.same([zero.proto, zero.vport, zero.v[0]! >>> 0], [6, 0, 0xc0a80001], 'port-zero service');
  const fwm = persistKey(new FlowKey(), { af: 4, port: 0, fwmark: 5, netmask: 0xffffffff }, conn4(1, 2, 80));
  t.same([fwm.proto, fwm.vport, fwm.v[0]], [0, 0, 5], 'fwmark: IPPROTO_IP with the mark as vaddr');
  const c6 = new FlowKey().setV6(17, v6ToWords('2001:db8:1:2345:3:4:5:6'), 999, v6ToWords('2001:db8::80'), 53);
  const k6 = persistKey(new FlowKey(), { af: 6, port: 53, fwmark: 0, netmask: 56 }, c6);
  t.same(Array.from(k6.c, (w) => w >>> 0), v6ToWords('2001:db8:1:2300::'), 'v6 /56 prefix');
});

t.test('template lifecycle: persistConns, link, kept alive while it controls connections', async (t) => {
  const h = harness();
  const d1 = h.dests.get(1)!;
  const key = persistKey(new FlowKey(), svc4, conn4(5, 1000));
  t.equal(h.table.findTemplate(key, 0), -1);
  const tpl = h.table.openTemplate(key, 1, 3, 360_000, 0);
  t.same([d1.persistConns, d1.inactConns], [1, 0]);
  t.ok(h.table.isTemplate(tpl));
  t.equal(h.table.lookup(conn4(5, 1000)), -1, 'a template never answers a connection lookup');
  const c = h.table.open(conn4(5, 1000), h.table.dest(tpl), 3, 0, false, tpl);
  t.equal(h.table.control(c), tpl);
  t.equal(h.table.control(tpl), 1, 'n_control');
  h.table.packet(c, Dir.INPUT, TcpFlag.SYN, 0);
  h.table.setState(c, TcpState.ESTABLISHED, 0);
  // the template times out at 360 s but controls an ESTABLISHED conn (900 s)
  h.table.expire(360_000);
  t.equal(h.table.size, 2, 'template kept');
  t.equal(h.table.stats.templatesDeferred, 1);
  t.equal(h.table.findTemplate(persistKey(new FlowKey(), svc4, conn4(9, 7)), 360_000), tpl, 'other client in the /24');
  h.table.touch(c, 360_000);
  h.table.expire(360_000 + 900_000 - 1);
  t.equal(h.table.size, 2);
  h.table.expire(360_000 + 900_000);
  t.equal(h.table.size, 1, 'connection gone');
  t.equal(h.table.control(tpl), 0);
  t.same([d1.persistConns, d1.activeConns], [1, 0]);
  // after expire_later the template's timeout is 60 s (ip_vs_conn_expire sets cp->timeout)
  h.table.expire(360_000 + 900_000 + 60_000);
  t.equal(h.table.size, 0);
  t.same([d1.persistConns, d1.activeConns, d1.inactConns], [0, 0, 0]);
});

t.test('open() checks the template it links to', async (t) => {
  const h = harness();
  const plain = h.table.open(conn4(1, 1), 1, 0, 0);
  t.throws(() => h.table.open(conn4(2, 2), 1, 0, 0, false, plain), TypeError);
  const v6 = new FlowKey().setV6(6, [1, 2, 3, 4], 1, [5, 6, 7, 8], 443);
  const tpl = h.table.openTemplate(persistKey(new FlowKey(), svc4, conn4(3, 3)), 1, 0, 1000, 0);
  t.throws(() => h.table.open(v6, 1, 0, 0, false, tpl), TypeError);
  t.throws(() => h.table.open(persistKey(new FlowKey(), svc4, conn4(4, 4)), 1, 0, 0), TypeError, 'template key');
  t.equal(h.table.size, 2, 'nothing inserted by the refused calls');
});

t.test('findTemplate re-arms the template', async (t) => {
  const h = harness();
  const key = persistKey(new FlowKey(), svc4, conn4(5, 1000));
  h.table.openTemplate(key, 1, 0, 10_000, 0);
  h.table.findTemplate(key, 8_000);
  h.table.expire(17_999);
  t.equal(h.table.size, 1);
  h.table.expire(18_000);
  t.equal(h.table.size, 0);
});

t.test('unavailable dest: the template is unhashed, lingers, and a new one can be made', async (t) => {
  const h = harness();
  const key = persistKey(new FlowKey(), svc4, conn4(5, 1000));
  const old = h.table.openTemplate(key, 1, 0, 300_000, 0);
  h.dests.get(1)!.available = false;
  t.equal(h.table.findTemplate(key, 1), -1);
  t.equal(h.table.stats.templatesInvalidated, 1);
  t.equal(h.table.size, 1, 'still counted until it expires');
  const fresh = h.table.openTemplate(key, 2, 0, 300_000, 1);
  t.not(fresh, old);
  t.equal(h.table.findTemplate(key, 2), fresh);
  const listed = [...h.table.entries(2)].find((v) => v.ref === old)!;
  t.equal(listed.vport, 0xffff, 'listed like the kernel rehashes it');
  h.table.expire(300_000);
  t.equal(h.table.size, 1);
  t.equal(h.dests.get(1)!.persistConns, 0);
});

t.test('quiescent dest invalidates only with expireQuiescentTemplate', async (t) => {
  for (const on of [false, true]) {
    const h = harness({ expireQuiescentTemplate: on });
    const key = persistKey(new FlowKey(), svc4, conn4(5, 1000));
    h.table.openTemplate(key, 1, 0, 300_000, 0);
    h.dests.get(1)!.weight = 0;
    t.equal(h.table.findTemplate(key, 1) >= 0, !on);
  }
});

t.test('remove() of a controlling template only unhashes it', async (t) => {
  const h = harness();
  const key = persistKey(new FlowKey(), svc4, conn4(5, 1000));
  const tpl = h.table.openTemplate(key, 1, 0, 300_000, 0);
  const c = h.table.open(conn4(5, 1000), 1, 0, 0, false, tpl);
  t.notOk(h.table.remove(tpl));
  t.equal(h.table.findTemplate(key, 0), -1);
  t.ok(h.table.remove(c));
  t.ok(h.table.remove(tpl));
  t.equal(h.table.size, 0);
  t.same([h.dests.get(1)!.persistConns, h.dests.get(1)!.inactConns], [0, 0]);
});
