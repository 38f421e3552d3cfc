import t from 'tap';
import { LocalityTable, type LocalityEntry } from '../../../../src/dataplane/sched/locality-table.js';

// include/linux/hash.h hash_32(key, 10): the bucket the kernel would hash an entry to.
const bucketOf = (key: number): number => Math.imul(key, 0x61c88647) >>> 22;

t.test('over 16 × 1024 entries, the partial collection removes idle ones bucket by bucket', async (t) => {
  const table = new LocalityTable<LocalityEntry>(0, 24 * 3600_000);
  const keys = Array.from({ length: 16_400 }, (_, i) => i + 1);
  for (const key of keys) table.add({ key, fold: key, lastuse: 0 });
  table.advance(300_000);
  t.equal(table.size, 16_400, 'nothing idle 6 minutes yet (ticks 1..5 walk every bucket for nothing)');
  table.advance(360_000);
  // goal (16 400 - 16 384) * 4 / 3 = 21; the rover is back at 0, so buckets 1, 2, ... go whole
  // until 21 entries are gone.
  const sizes = new Map<number, number>();
  for (const key of keys) sizes.set(bucketOf(key), (sizes.get(bucketOf(key)) ?? 0) + 1);
  let removed = 0;
  let last = 0;
  while (removed < 21) removed += sizes.get(++last) ?? 0;
  t.equal(table.size, 16_400 - removed, `buckets 1..${last} emptied`);
  const survivor = keys.find((k) => bucketOf(k) === last + 1);
  const gone = keys.find((k) => bucketOf(k) === 1);
  t.ok(survivor !== undefined && table.get(survivor), 'the next bucket is untouched');
  t.equal(gone !== undefined ? table.get(gone) : 'none', undefined);
});
