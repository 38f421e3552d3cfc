/**
 * The control protocol's decoders: everything lvsadm can send round-trips; malformed messages are refused
 * with a sentence naming the field, and no input makes them throw.
 */
import t from 'tap';
import type { TableOp } from '../../../src/model/ops.js';
import {
  CONTROL_PROTOCOL_VERSION, parseRequest, parseRequestLine, parseResponse, requestIdOf, requestLine, respond, type Decoded,
} from '../../../src/control/protocol.js';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { fixedBackend, lvsadm } from '../cli/fixtures/helpers.js';
import { CONNS, PE_CONNS, v6Table } from '../cli/fixtures/more-tables.js';
import { referenceTable } from '../cli/fixtures/tables.js';

/** Ops produced by real command lines, one of each kind. */
async function sampleOps(): Promise<TableOp[]> {
  const b = fixedBackend(referenceTable());
  for (const line of [
    '-A -u 10.0.0.2:53 -s sh -p 360 -M 255.255.255.0 -o -b sh-fallback,sh-port', '-E -t [2001:db8::1]:443 -s mh -p -M 64 --pe sip',
    '-D -f 7 -6', '-a -t 10.0.0.1:80 -r 192.168.1.10:8080 -m -w 0 -x 9 -y 1', '-e -f 7 -r [2001:db8::5]:0 -i --tun-type gue --tun-port 6080 --tun-csum',
    '-d -t 10.0.0.1:80 -r 192.168.1.10', '-C', '-Z', '-Z -t 10.0.0.1:80', '--set 1 2 3', '--start-daemon master --mcast-group 224.0.0.81 --syncid 3',
    '--stop-daemon backup',
  ]) {
    const r = await lvsadm(line.split(' '), b);
    if (r.code !== 0) throw new Error(`${line}: ${r.err}`);
  }
  return b.ops;
}

const wire = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const errorOf = <T>(d: Decoded<T>): string => (d.ok ? 'accepted' : d.error);

t.test('every op lvsadm sends survives JSON and validation unchanged', async (t) => {
  const ops = await sampleOps();
  t.equal(ops.length, 12);
  const line = JSON.stringify({ id: 7, method: 'apply', ops });
  t.same(parseRequestLine(line), { ok: true, value: { id: 7, method: 'apply', ops } });
  t.same(parseRequest({ id: 0, method: 'snapshot' }), { ok: true, value: { id: 0, method: 'snapshot' } });
  t.same(parseRequest({ id: 1, method: 'connections', extra: 'ignored' }), { ok: true, value: { id: 1, method: 'connections' } });
  t.same(parseRequest({ id: 2, method: 'overrides' }), { ok: true, value: { id: 2, method: 'overrides' } });
});

t.test('requests carry the protocol version; one this side does not speak is refused, naming both', async (t) => {
  t.equal(CONTROL_PROTOCOL_VERSION, 1);
  const line = requestLine(4, { method: 'snapshot' });
  t.equal(line, '{"v":1,"id":4,"method":"snapshot"}\n', 'lvsadm writes the version first, one line');
  t.same(parseRequestLine(line.trim()), { ok: true, value: { id: 4, method: 'snapshot' } });
  t.same(parseRequest({ id: 4, method: 'snapshot' }), { ok: true, value: { id: 4, method: 'snapshot' } }, 'no "v" is version 1');
  t.equal(errorOf(parseRequest({ v: 2, id: 4, method: 'snapshot' })), 'request.v: protocol version 2 is not spoken here (this side speaks version 1)');
  t.equal(errorOf(parseRequest({ v: '1', id: 4, method: 'snapshot' })), 'request.v: expected an integer in 1..9007199254740991, got "1"');
  t.equal(requestIdOf({ v: 2, id: 4, method: 'snapshot' }), 4, 'the refusal still carries the id');
});

t.test('malformed requests are refused with the field and the reason', async (t) => {
  const ops = await sampleOps();
  const addDest = ops[3] as Extract<TableOp, { op: 'add-dest' }>;
  const addSvc = ops[0] as Extract<TableOp, { op: 'add-service' }>;
  const apply = (op: unknown) => ({ id: 1, method: 'apply', ops: [ops[6], op] });
  const cases: [string, unknown, string][] = [
    ['not an object', [1, 2], 'request: expected an object, got an array'],
    ['no id', { method: 'snapshot' }, 'request.id: expected an integer in 0..9007199254740991, got undefined'],
    ['negative id', { id: -1, method: 'snapshot' }, 'request.id: expected an integer in 0..9007199254740991, got -1'],
    ['unknown method', { id: 1, method: 'reboot' }, 'request.method: expected one of apply|snapshot|connections|overrides|health, got "reboot"'],
    ['ops not a list', { id: 1, method: 'apply', ops: {} }, 'request.ops: expected an array of at most 100000 items, got an object'],
    ['unknown op', apply({ op: 'drop-table' }), 'request.ops[1].op: expected one of add-service|edit-service|del-service|add-dest|edit-dest|del-dest|flush|zero|set-timeouts|start-daemon|stop-daemon, got "drop-table"'],
    ['port out of range', apply({ ...addDest, dest: { ...addDest.dest, port: 70000 } }), 'request.ops[1].dest.port: expected an integer in 0..65535, got 70000'],
    ['fractional weight', apply({ ...addDest, dest: { ...addDest.dest, weight: 1.5 } }), 'request.ops[1].dest.weight: expected an integer in 0..2147483647, got 1.5'],
    ['non-canonical address', apply({ ...addDest, dest: { ...addDest.dest, addr: { af: 6, text: '2001:DB8::1' } } }), 'request.ops[1].dest.addr.text: expected a canonical IPv6 address, got "2001:DB8::1"'],
    ['family mismatch', apply({ ...addDest, dest: { ...addDest.dest, addr: { af: 6, text: '10.0.0.1' } } }), 'request.ops[1].dest.addr.text: expected a canonical IPv6 address, got "10.0.0.1"'],
    ['bad tunnel flags', apply({ ...addDest, dest: { ...addDest.dest, tunFlags: 3 } }), 'request.ops[1].dest.tunFlags: expected an integer in 0..2, got 3'],
    ['zero fwmark', apply({ op: 'del-service', id: { kind: 'fwmark', fwmark: 0, af: 4 } }), 'request.ops[1].id.fwmark: expected an integer in 1..4294967295, got 0'],
    ['v6 prefix over 128', apply({ ...addSvc, spec: { ...addSvc.spec, id: { kind: 'fwmark', fwmark: 1, af: 6 }, netmask: 129 } }), 'request.ops[1].spec.netmask: expected an integer in 0..128, got 129'],
    ['empty scheduler', apply({ ...addSvc, spec: { ...addSvc.spec, scheduler: '' } }), 'request.ops[1].spec.scheduler: expected a string of 1..15 characters, got ""'],
    ['missing flags', apply({ ...addSvc, spec: { ...addSvc.spec, flags: undefined } }), 'request.ops[1].spec.flags: expected an object, got undefined'],
    ['bad protocol', apply({ op: 'zero', service: { kind: 'addr', protocol: 'icmp', addr: { af: 4, text: '1.2.3.4' }, port: 0 } }), 'request.ops[1].service.protocol: expected one of tcp|udp|sctp, got "icmp"'],
  ];
  for (const [name, value, error] of cases) t.equal(errorOf(parseRequest(value)), error, name);
  t.equal(errorOf(parseRequestLine('{"id":1,')), 'not JSON: ' + (() => { try { JSON.parse('{"id":1,'); } catch (e) { return (e as Error).message; } return ''; })());
});

t.test('no input makes the decoders throw', async (t) => {
  const weird: unknown[] = [null, undefined, 0, -0, NaN, 'x', true, [], {}, { id: 1 }, { id: 1, method: 'apply' }, { id: 1, method: 'apply', ops: [null] },
    { id: 1, method: 'apply', ops: [{ op: 'add-dest', service: [], dest: 1 }] }, { ok: 'yes' }, { ok: true }, { ok: false }, { id: 1, ok: true, snapshot: {} },
    { id: 1, ok: false, index: 0 }, { id: null, ok: false, index: 0, error: { message: 'x' } }, Object.create(null), { __proto__: { id: 1, method: 'snapshot' } }];
  for (const v of weird) {
    t.doesNotThrow(() => parseRequest(v));
    t.doesNotThrow(() => parseResponse(v));
  }
  t.notOk(parseRequest({ __proto__: { id: 1, method: 'snapshot' } }).ok, 'inherited keys are not fields');
  for (const line of ['', 'null', '[]', '"str"', '{"id":1e400,"method":"snapshot"}', '{'.repeat(10000)]) t.notOk(parseRequestLine(line).ok, line.slice(0, 20));
  t.equal(requestIdOf({ id: 5, method: 'nope' }), 5);
  t.equal(requestIdOf({ id: 'x' }), null);
  t.equal(requestIdOf('garbage'), null);
});

t.test('responses: every kind round-trips, a bad snapshot is refused', async (t) => {
  const snap = await new FakeIpvs().snapshot();
  const kinds = [
    respond.ok(1), respond.snapshot(2, v6Table()), respond.snapshot(3, snap), respond.connections(4, PE_CONNS), respond.connections(5, CONNS),
    respond.opFailed(6, 2, { errno: 'EEXIST', message: 'service exists' }), respond.refused(null, 'request: not JSON'), respond.refused(8, 'no'),
    respond.overrides(10, (await sampleOps()).slice(0, 4)), respond.overrides(11, []),
  ];
  for (const r of kinds) t.same(parseResponse(wire(r)), { ok: true, value: r });
  const broken = { ...(wire(respond.snapshot(9, referenceTable())) as { snapshot: Record<string, unknown> }) };
  broken.snapshot = { ...broken.snapshot, timeouts: { tcp: 1, tcpFin: 2 } };
  t.equal(errorOf(parseResponse(broken)), 'response.snapshot.timeouts.udp: expected an integer in 0..4294967295, got undefined');
  t.equal(errorOf(parseResponse({ id: 1, ok: true, connections: [{ ...CONNS[0], peName: 'sip' }] })), 'response.connections[0]: peName and peData come together');
  t.equal(errorOf(parseResponse({ id: null, ok: false, index: 1, error: { message: 'x' } })), 'response.id: an apply failure must carry its request id');
});
