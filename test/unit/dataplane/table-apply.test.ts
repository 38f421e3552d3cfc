import t from 'tap';
import { applyAll, applyUntilFailure, firstFailure } from '../../../src/dataplane/table-apply.js';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { serviceSpec, svcId } from '../../../src/testing/specs.js';
import { TableError } from '../../../src/model/errors.js';
import type { TableOp } from '../../../src/model/ops.js';

const add = (a: string): TableOp => ({ op: 'add-service', spec: serviceSpec(svcId(a), { scheduler: 'rr' }) });
const ops = [add('198.18.0.1:80'), add('198.18.0.1:80'), add('198.18.0.2:80')];

t.test('applyUntilFailure stops at the first refusal; those before it stay applied', async (t) => {
  const fake = new FakeIpvs();
  const results = await applyUntilFailure(fake, ops);
  t.same(results.map((r) => r?.errno ?? null), [null, 'EEXIST'], 'the third op was not tried');
  t.same(fake.log, ops.slice(0, 2));
  t.same(firstFailure(results)?.index, 1);
  t.equal(firstFailure(await applyUntilFailure(new FakeIpvs(), [ops[0]!, ops[2]!])), null, 'no refusal, no failure');
});

t.test('applyAll tries every op and reports each; only a TableError is a result', async (t) => {
  const fake = new FakeIpvs();
  const results = await fake.apply(ops);
  t.same(results.map((r) => r?.errno ?? null), [null, 'EEXIST', null]);
  t.equal(fake.applied.length, 2);
  await t.rejects(applyAll(ops, () => { throw new Error('a bug'); }), /a bug/, 'anything else propagates');
  t.same(await applyAll(ops, () => { throw new TableError('EPERM'); }), ops.map(() => new TableError('EPERM')));
});
