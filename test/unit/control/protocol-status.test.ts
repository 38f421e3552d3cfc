// The status and plan answers as lvsadm decodes them: a real document passes; a wrong field is named.
import t from 'tap';
import { parseResponse, parseRequest } from '../../../src/control/protocol.js';
import { statusDoc } from '../../../src/metrics/status-doc.js';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { destSpec, serviceSpec, svcId } from '../../../src/testing/specs.js';

const errorOf = (d: { ok: boolean; error?: string }): string | undefined => (d.ok ? undefined : d.error);

t.test('status: the daemon\'s document decodes; a hostile one is refused with the field', async (t) => {
  const ipvs = new FakeIpvs();
  const id = svcId('[::1]:80');
  await ipvs.apply([{ op: 'add-service', spec: serviceSpec(id) }, { op: 'add-dest', service: id, dest: destSpec('[2001:db8::2]:80', { weight: 4 }) }]);
  const doc = await statusDoc({ version: '1', plane: 'proxy', startedAt: 0, table: () => ipvs.snapshot() }, 1000);
  const r = parseResponse(JSON.parse(JSON.stringify({ id: 7, ok: true, status: doc })) as unknown);
  t.match(r, { ok: true, value: { id: 7, status: { plane: 'proxy', vrrp: null, services: [{ proto: 'TCP', address: '::1', realServers: [{ address: '2001:db8::2', weight: 4, alive: null }] }] } } });
  const bad = JSON.parse(JSON.stringify({ id: 7, ok: true, status: doc })) as { status: { services: Array<{ realServers: Array<{ port: unknown }> }> } };
  bad.status.services[0]!.realServers[0]!.port = 'eighty';
  t.equal(errorOf(parseResponse(bad)), 'response.status.services[0].realServers[0].port: expected an integer in 0..65535, got "eighty"');
  t.equal(errorOf(parseResponse({ id: 1, ok: true, status: { ...doc, schema: 'other/2' } })), 'response.status.schema: expected lvsd-status/1, got "other/2"');
});

t.test('plan: the request needs a file; the answer is checked', async (t) => {
  t.match(parseRequest({ v: 1, id: 1, method: 'plan', file: '/etc/keepalived/keepalived.conf' }), { ok: true, value: { method: 'plan', file: '/etc/keepalived/keepalived.conf' } });
  t.equal(errorOf(parseRequest({ v: 1, id: 1, method: 'plan' })), 'request.file: expected a string of 1..4096 characters, got undefined');
  t.equal(errorOf(parseResponse({ id: 1, ok: true, plan: { usable: true, ops: [{ op: 'nuke' }], changes: [], diagnostics: [] } }))?.startsWith('response.plan.ops[0]'), true);
});
