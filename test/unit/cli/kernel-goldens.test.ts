/**
 * lvsadm's formatters against what real ipvsadm 1.31 printed for a real kernel table
 * (test/kernel/golden/ipvsadm/, captured by the kernel tier), byte for byte, without booting a kernel:
 * the same arguments (LISTINGS) over the same table as a TableSnapshot.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { goldenDir, LISTINGS } from '../../../src/testing/kernel/ipvsadm-table.js';
import { fixedBackend, lvsadm } from './fixtures/helpers.js';
import { kernelGoldenTable } from './fixtures/kernel-table.js';

t.test('every golden file is a listing this test renders', async (t) => {
  t.same(readdirSync(goldenDir()).sort(), Object.keys(LISTINGS).sort());
});

for (const [file, args] of Object.entries(LISTINGS)) {
  t.test(`lvsadm ${args.join(' ')} prints ${file} byte for byte`, async (t) => {
    const r = await lvsadm([...args], fixedBackend(kernelGoldenTable()));
    t.equal(r.err, '');
    t.equal(r.code, 0);
    t.equal(r.out, readFileSync(path.join(goldenDir(), file), 'utf8'));
  });
}
