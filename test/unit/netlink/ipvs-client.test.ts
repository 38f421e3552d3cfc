import t from 'tap';
import { TableError } from '../../../src/model/errors.js';
import type { TableOp } from '../../../src/model/ops.js';
import { NetlinkError } from '../../../src/netlink/errors.js';
import { IpvsClient } from '../../../src/netlink/ipvs/client.js';
import { parseDatagram } from '../../../src/netlink/framing.js';
import { destSpec, ip, serviceSpec, svcId } from '../../../src/testing/specs.js';
import { FakeKernel } from './fixtures/fake-kernel.js';

const web = svcId('192.0.2.10:80');
const dns6 = svcId('[2001:db8::53]:53', 'udp');
const mark = { kind: 'fwmark', fwmark: 7, af: 4 } as const;

/** The errno a call fails with ('' if it succeeds). */
async function errnoOf(p: Promise<unknown>): Promise<string> {
  return p.then(() => '', (e: unknown) => String((e as { errno?: unknown }).errno));
}

async function client(k = new FakeKernel()): Promise<{ c: IpvsClient; k: FakeKernel }> {
  return { c: await IpvsClient.open({ transport: k }), k };
}

t.test('open resolves the IPVS family; without IPVS it fails with ENOENT and says why', async (t) => {
  const { c } = await client();
  t.equal(c.family, 0x23);
  c.close();
  const k = new FakeKernel();
  k.ipvsFamily = null;
  await t.rejects(IpvsClient.open({ transport: k }), { errno: 'ENOENT', message: /no generic netlink family IPVS.*modprobe ip_vs/ });
  t.ok(k.closed, 'the socket is closed when open fails');
});

t.test('services and dests: add, list, get, edit, delete', async (t) => {
  const { c } = await client();
  const s1 = serviceSpec(web, { scheduler: 'wrr', persistence: 300, netmask: 0xffffff00 });
  const s2 = serviceSpec(dns6, { ops: true, netmask: 128 });
  const s3 = serviceSpec(mark, { scheduler: 'mh', flags: { fallback: true, port: false, flag3: false } });
  await c.addService(s1);
  await c.addService(s2);
  await c.addService(s3);
  await c.addDest(web, destSpec('10.0.0.1:8080', { weight: 3 }));
  await c.addDest(web, destSpec('[2001:db8::9]:80', { fwd: 'tunnel', tunType: 'gre', tunFlags: 1 }));
  t.same((await c.listServices()).map((s) => s.spec), [s1, s2, s3]);
  const got = await c.getService(web);
  t.same(got.spec, s1);
  t.equal(got.stats.conns, 7);
  t.equal(got.stats.inBytes, 2 ** 40);
  t.equal(got.attrs.flags?.flags, 0x3, 'the decoded reply is there too (PERSISTENT|HASHED)');
  const specs = await c.listServiceSpecs();
  t.same(specs.map((s) => s.spec), [s1, s2, s3], 'without counters: the same specs');
  t.same([specs[0]!.stats.conns, specs[0]!.stats.inBytes], [0, 0], 'and counters left at 0');
  t.same((await c.listHead(false)).services.map((s) => s.stats.conns), [0, 0, 0]);
  t.same((await c.listHead()).services.map((s) => s.stats.conns), [7, 7, 7]);
  const dests = await c.listDests(web);
  t.same(dests.map((d) => d.spec), [destSpec('10.0.0.1:8080', { weight: 3 }), destSpec('[2001:db8::9]:80', { fwd: 'tunnel', tunType: 'gre', tunFlags: 1 })]);
  t.same(dests.map((d) => [d.activeConns, d.inactConns]), [[3, 4], [3, 4]]);
  await c.editService({ ...s1, scheduler: 'lc' });
  await c.editDest(web, destSpec('10.0.0.1:8080', { weight: 0 }));
  t.equal((await c.getService(web)).spec.scheduler, 'lc');
  t.equal((await c.listDests(web))[0]!.spec.weight, 0);
  await c.delDest(web, ip('10.0.0.1'), 8080);
  await c.delService(dns6);
  t.same((await c.listServices()).map((s) => s.spec.id), [web, mark]);
  t.same(await c.listDests(dns6), [], 'GET_DEST for a missing service is an empty dump');
  c.close();
});

t.test('kernel refusals are TableErrors with the kernel errno', async (t) => {
  const { c } = await client();
  await c.addService(serviceSpec(web));
  await t.rejects(c.addService(serviceSpec(web)), new TableError('EEXIST'));
  const e = await c.addService(serviceSpec(web)).catch((x: unknown) => x);
  t.type(e, TableError);
  t.match(e, { errno: 'EEXIST', code: 'LVSD_E_TABLE', message: /add service tcp:192\.0\.2\.10:80: EEXIST/ });
  t.equal(await errnoOf(c.editService(serviceSpec(dns6))), 'ESRCH');
  t.equal(await errnoOf(c.getService(dns6)), 'ESRCH');
  t.equal(await errnoOf(c.addDest(dns6, destSpec('10.0.0.1:80'))), 'ESRCH');
  t.equal(await errnoOf(c.delDest(web, ip('10.9.9.9'), 80)), 'ENOENT');
  t.equal(await errnoOf(c.stopDaemon('master')), 'ESRCH');
  t.equal(await errnoOf(c.zero(dns6)), 'ESRCH');
  c.close();
});

t.test('applyBatch: all in flight at once, one result per op, in order', async (t) => {
  const { c, k } = await client();
  const ops: TableOp[] = [];
  for (let i = 0; i < 300; i++) {
    const id = svcId(`10.1.${i >> 8}.${i & 255}:80`);
    ops.push({ op: 'add-service', spec: serviceSpec(id) });
    for (let j = 0; j < 3; j++) ops.push({ op: 'add-dest', service: id, dest: destSpec(`10.2.0.${j + 1}:80`) });
  }
  ops.push({ op: 'add-service', spec: serviceSpec(svcId('10.1.0.0:80')) }); // a duplicate
  ops.push({ op: 'add-dest', service: web, dest: destSpec('10.0.0.1:80') }); // no such service
  ops.push({ op: 'add-dest', service: web, dest: destSpec('10.0.0.1:99999') }); // not encodable
  const before = k.datagrams.length;
  const results = await c.applyBatch(ops);
  t.equal(results.length, ops.length);
  t.equal(results.slice(0, 1200).filter((r) => r.ok).length, 1200);
  const tail = results.slice(1200).map((r) => (r.ok ? 'ok' : r.error instanceof TableError ? r.error.errno : (r.error as Error).name));
  t.same(tail, ['EEXIST', 'ESRCH', 'NetlinkEncodeError']);
  t.ok(k.datagrams.length - before < 100, `1202 requests in ${k.datagrams.length - before} datagrams`);
  t.equal(k.services.size, 300);
  c.close();
});

t.test('applyBatch: a batch larger than the queued window goes out in order, and a closed client answers each op', async (t) => {
  const { c, k } = await client();
  const n = 20_000; // beyond the 8192 ops queued at a time
  const ops: TableOp[] = Array.from({ length: n }, (_, i) => ({ op: 'add-service', spec: serviceSpec(svcId(`10.3.${i >> 8}.${i & 255}:${80 + (i >> 16)}`)) }));
  const first = k.requests.length;
  const results = await c.applyBatch(ops);
  t.equal(results.filter((r) => r.ok).length, n);
  t.equal(k.requests.length - first, n);
  const added = [...k.services.values()].map((s) => `${s.attrs.addr![2]}.${s.attrs.addr![3]}`);
  t.same(added, ops.map((_, i) => `${i >> 8}.${i & 255}`), 'the kernel saw the ops in the batch\'s order');
  c.close();
  const closed = await c.applyBatch(ops);
  t.equal(closed.length, n, 'every op answered synchronously by the closed engine, without recursing per op');
  t.ok(closed.every((r) => !r.ok && (r.error as { errno?: string }).errno === 'EBADF'));
});

t.test('list(): the whole table as a TableSnapshot', async (t) => {
  const { c } = await client();
  await c.addService(serviceSpec(web));
  await c.addDest(web, destSpec('10.0.0.1:80'));
  await c.setTimeouts({ tcp: 60, tcpFin: 0, udp: 30 });
  await c.startDaemon({ state: 'master', mcastIfn: 'eth0', syncId: 3 });
  const snap = await c.list();
  t.same(snap.version, '1.2.1');
  t.same(snap.size, 4096);
  t.same(snap.timeouts, { tcp: 60, tcpFin: 120, udp: 30 }, '0 leaves a timeout unchanged');
  t.same(snap.daemons, [{ state: 'master', mcastIfn: 'eth0', syncId: 3 }]);
  t.same(snap.services.map((s) => [s.spec.id, s.dests.map((d) => d.spec.addr.text)]), [[web, ['10.0.0.1']]]);
  t.same(snap.services[0]!.stats.conns, 7);
  t.equal(await errnoOf(c.startDaemon({ state: 'master', mcastIfn: 'eth0', syncId: 3 })), 'EEXIST');
  await c.stopDaemon('master');
  t.same(await c.listDaemons(), []);
  await c.zero();
  await c.flush();
  t.same(await c.listServices(), []);
  t.same(await c.getInfo(), { version: '1.2.1', versionCode: 0x010201, connTabSize: 4096 });
  c.close();
});

t.test('a broken reply fails that request with a clear error and the client keeps working', async (t) => {
  const { c, k } = await client();
  await c.addService(serviceSpec(web));
  k.override = (m) => {
    if (m.payload[0] !== 4) return undefined;
    // a NEW_SERVICE part whose PORT is 4 bytes long
    return k.dump(m, [k.message(m.type, 2, m.seq, Buffer.from('010100000c00010008000400005000000', 'hex').subarray(0, 16))]);
  };
  await t.rejects(c.listServices(), { name: 'NetlinkFormatError', message: /IPVS_SVC_ATTR_PORT: expected 2 bytes, got 4/ });
  k.override = null;
  t.equal((await c.listServices()).length, 1);
  k.override = (m) => (m.payload[0] === 4 ? [k.message(m.type, 0, m.seq, Buffer.from([1, 1])), k.ack(m)] : undefined);
  await t.rejects(c.getService(web), { name: 'NetlinkFormatError', message: /no genl header/ });
  k.override = () => [];
  const r = c.addService(serviceSpec(dns6)).catch((x: unknown) => x);
  await new Promise((res) => setImmediate(res));
  k.inject([new NetlinkError('ENOBUFS', 'recvmsg ENOBUFS')]);
  const e = await r;
  t.type(e, NetlinkError, 'transport trouble is not a TableError');
  t.match(e, { errno: 'ENOBUFS' });
  t.same(parseDatagram(k.datagrams.at(-1)!)[0]!.payload[0], 1, 'the NEW_SERVICE had gone out');
  c.close();
});
