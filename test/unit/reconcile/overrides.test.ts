import t from 'tap';
import { OperatorOverrides } from '../../../src/reconcile/overrides.js';
import { destSpec, ip, serviceSpec, svcId } from '../../../src/testing/specs.js';
import type { DesiredTable } from '../../../src/reconcile/desired-table.js';

const web = svcId('10.0.0.1:80');
const dns = svcId('10.0.0.2:53', 'udp');
const file: DesiredTable = {
  services: [
    { spec: serviceSpec(web, { scheduler: 'wrr' }), dests: [destSpec('192.168.1.10:80', { weight: 3 }), destSpec('192.168.1.11:80')] },
    { spec: serviceSpec(dns, { scheduler: 'sh' }), dests: [destSpec('192.168.1.20:53')] },
  ],
};

/** service → "addr:port wN" list, for comparing tables by what they hold. */
function view(d: DesiredTable): Record<string, string> {
  return Object.fromEntries(d.services.map((s) => {
    const id = s.spec.id;
    const name = id.kind === 'addr' ? `${id.addr.text}:${id.port} ${s.spec.scheduler}` : `fwm ${id.fwmark}`;
    return [name, s.dests.map((x) => `${x.addr.text}:${x.port} w${x.weight}`).join(',')];
  }));
}

t.test('no overrides: the file\'s table itself', async (t) => {
  const o = new OperatorOverrides();
  t.equal(o.applyTo(file), file);
  t.equal(o.record({ op: 'zero' }), null, 'counters are not an override');
  t.equal(o.record({ op: 'set-timeouts', timeouts: { tcp: 1, tcpFin: 2, udp: 3 } }), null, 'timeouts are not one');
  t.equal(o.size, 0);
});

t.test('real servers edited, added and deleted are held by identity, the last change winning', async (t) => {
  const o = new OperatorOverrides();
  o.record({ op: 'edit-dest', service: web, dest: destSpec('192.168.1.10:80', { weight: 0 }) });
  o.record({ op: 'add-dest', service: web, dest: destSpec('192.168.1.12:80') });
  o.record({ op: 'edit-dest', service: web, dest: destSpec('192.168.1.12:80', { weight: 7 }) });
  o.record({ op: 'del-dest', service: dns, addr: ip('192.168.1.20'), port: 53 });
  t.same(view(o.applyTo(file)), { '10.0.0.1:80 wrr': '192.168.1.10:80 w0,192.168.1.11:80 w1,192.168.1.12:80 w7', '10.0.0.2:53 sh': '' });
  t.equal(o.size, 3);
  t.same(o.list().map((x) => x.op), ['edit-dest', 'add-dest', 'del-dest'], 'an added then edited server is listed as added');
  t.equal(o.clear(), 3);
  t.equal(o.applyTo(file), file);
});

t.test('services: an edit keeps the file\'s servers; a delete drops its server overrides; a re-add starts empty', async (t) => {
  const o = new OperatorOverrides();
  o.record({ op: 'edit-service', spec: serviceSpec(web, { scheduler: 'rr' }) });
  o.record({ op: 'add-dest', service: dns, dest: destSpec('192.168.1.21:53') });
  o.record({ op: 'del-service', id: dns });
  t.same(view(o.applyTo(file)), { '10.0.0.1:80 rr': '192.168.1.10:80 w3,192.168.1.11:80 w1' });
  t.same(o.list().map((x) => x.op), ['edit-service', 'del-service'], 'the server override died with its service');
  o.record({ op: 'add-service', spec: serviceSpec(dns, { scheduler: 'lc' }) });
  o.record({ op: 'edit-service', spec: serviceSpec(dns, { scheduler: 'wlc' }) });
  t.same(view(o.applyTo(file)), { '10.0.0.1:80 rr': '192.168.1.10:80 w3,192.168.1.11:80 w1', '10.0.0.2:53 wlc': '' },
    'the re-added service is the operator\'s own: none of the file\'s servers');
  t.same(o.list().map((x) => x.op), ['edit-service', 'add-service'], 'still listed as added after an edit');
});

t.test('a service the file lacks, and a flush', async (t) => {
  const o = new OperatorOverrides();
  const extra = svcId('10.0.0.9:443');
  o.record({ op: 'add-service', spec: serviceSpec(extra) });
  o.record({ op: 'add-dest', service: extra, dest: destSpec('192.168.1.30:443') });
  t.same(view(o.applyTo(file))['10.0.0.9:443 wlc'], '192.168.1.30:443 w1');
  o.record({ op: 'flush' });
  t.same(o.applyTo(file), { services: [] }, 'a flush empties the table');
  t.same(o.list(), [{ op: 'flush' }], 'and replaces what came before it');
  o.record({ op: 'add-service', spec: serviceSpec(extra) });
  t.same(view(o.applyTo(file)), { '10.0.0.9:443 wlc': '' });
  t.equal(o.size, 2);
});
