/**
 * The in-memory table's answers to the probes the kernel tier sends to kernel IPVS (table-probes.ts): pinned
 * here to what the kernel answered, so the rules hold without booting a kernel. The kernel tier's
 * table-rules scenario checks the same list against a real kernel.
 */
import t from 'tap';
import { TABLE_PROBES, answerOf, memoryAnswers } from '../../../../src/testing/table-probes.js';
import { ServiceTable } from '../../../../src/dataplane/director/table.js';
import { KERNEL_6_1, USERSPACE } from '../../../../src/dataplane/director/table-rules.js';
import { FakeIpvs } from '../../../../src/testing/fake-ipvs.js';
import { destSpec, ip, serviceSpec, svcId } from '../../../../src/testing/specs.js';

/** null when f applies, else the errno it is refused with. */
function outcome(f: () => void): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return answerOf(e);
  }
}

t.test('every probe gets the errno the kernel gives', async (t) => {
  t.ok(TABLE_PROBES.length >= 30, `${TABLE_PROBES.length} probes`);
  const answers = memoryAnswers();
  TABLE_PROBES.forEach((p, i) => t.equal(answers[i], p.kernel, `${i}. ${p.label}: ${p.kernel ?? 'ok'}`));
});

t.test('FakeIpvs answers through the port as its table does, and records what it applied', async (t) => {
  const fake = new FakeIpvs();
  const results = await fake.apply(TABLE_PROBES.map((p) => p.op));
  t.same(results.map((r) => (r ? r.errno : null)), TABLE_PROBES.map((p) => p.kernel), 'every op tried, one result each');
  t.equal(fake.log.length, TABLE_PROBES.length);
  t.equal(fake.applied.length, TABLE_PROBES.filter((p) => p.kernel === null).length);
});

t.test('fwmark 0 is kept as the kernel keeps it: TCP 0.0.0.0:0', async (t) => {
  const tb = new ServiceTable(() => 0, 4096, KERNEL_6_1);
  tb.apply({ op: 'add-service', spec: serviceSpec({ kind: 'fwmark', fwmark: 0, af: 6 }, { scheduler: 'rr', netmask: 128 }) });
  t.same(tb.snapshot().services.map((s) => s.spec.id), [{ kind: 'addr', protocol: 'tcp', addr: { af: 6, text: '::' }, port: 0 }]);
  t.ok(tb.find(svcId('[::]:0')), 'found by either name');
});

t.test('the userspace planes run twos and no persistence engine; the 6.1 kernel the reverse', async (t) => {
  const user = new ServiceTable(() => 0, 4096, USERSPACE);
  const kernel = new ServiceTable(() => 0, 4096, KERNEL_6_1);
  const twos = { op: 'add-service', spec: serviceSpec(svcId('198.18.0.1:80'), { scheduler: 'twos' }) } as const;
  const sip = { op: 'add-service', spec: serviceSpec(svcId('198.18.0.2:5060', 'udp'), { scheduler: 'rr', persistence: 60, pe: 'sip' }) } as const;
  t.equal(outcome(() => user.apply(twos)), null);
  t.equal(outcome(() => kernel.apply(twos)), 'ENOENT');
  t.equal(outcome(() => kernel.apply(sip)), null);
  t.equal(outcome(() => user.apply(sip)), 'ENOENT');
});

t.test('a sync daemon and real servers of another family exclude each other (mixed_address_family_dests)', async (t) => {
  const tb = new ServiceTable(() => 0, 4096, KERNEL_6_1);
  const web = svcId('198.18.0.1:80');
  const daemon = { op: 'start-daemon', daemon: { state: 'master', mcastIfn: 'eth0', syncId: 1 } } as const;
  tb.apply({ op: 'add-service', spec: serviceSpec(web, { scheduler: 'rr' }) });
  tb.apply({ op: 'add-dest', service: web, dest: destSpec('[2001:2::1]:80', { fwd: 'tunnel' }) });
  t.equal(outcome(() => tb.apply(daemon)), 'EINVAL', 'no daemon while a mixed-family dest exists');
  tb.apply({ op: 'del-dest', service: web, addr: ip('2001:2::1'), port: 80 });
  tb.apply(daemon);
  t.equal(outcome(() => tb.apply({ op: 'add-dest', service: web, dest: destSpec('[2001:2::1]:80', { fwd: 'tunnel' }) })), 'EINVAL',
    'no mixed-family dest while a daemon runs');
  t.equal(outcome(() => tb.apply(daemon)), 'EEXIST');
});
