import t from 'tap';
import { SourceHash } from '../../../../src/dataplane/sched/sh.js';
import { ctx, dest, packet, setCounters } from './fixtures/sched.js';

// The 6.1 kernel's (offset + hash_32(port + src, 8)) & 255: the top byte of the u32 product with
// GOLDEN_RATIO_32, worked here in BigInt independently of the implementation.
const bucketOf = (src: number, port = 0, offset = 0): number =>
  (offset + Number(((BigInt((src + port) >>> 0) * 0x61c88647n) & 0xffffffffn) >> 24n)) & 0xff;
const names = (s: SourceHash): (string | undefined)[] => s.table.map((d) => (d as { name: string } | null)?.name);

t.test('each dest fills `weight` buckets in turn; weight 0 still takes one', async (t) => {
  const s = new SourceHash(ctx());
  const [a, b, c] = [dest('A', 2), dest('B', 1), dest('C', 0)];
  s.update([a, b, c]);
  t.same(names(s), Array.from({ length: 256 }, (_, i) => ['A', 'A', 'B', 'C'][i % 4]));
  const big = dest('D', 300);
  s.update([big, a]);
  t.same(names(s), Array.from({ length: 256 }, () => 'D'), 'a weight above 256 takes the whole table');
});

t.test('hash of the source address, port only with sh-port', async (t) => {
  const [a, b, c] = [dest('A', 2), dest('B', 1), dest('C', 0)];
  const plain = new SourceHash(ctx());
  const port = new SourceHash(ctx({ port: true }));
  for (const s of [plain, port]) s.update([a, b, c]);
  t.equal(bucketOf(0x0a000002), 137);
  t.equal(plain.schedule(packet({ srcFold: 0x0a000002, srcPort: 40001 })), a, '137 % 4 = 1: A');
  t.equal(bucketOf(0x0a000005), 174);
  t.equal(plain.schedule(packet({ srcFold: 0x0a000005 })), b, '174 % 4 = 2: B');
  t.equal(bucketOf(0x0a000001), 39);
  t.equal(plain.schedule(packet({ srcFold: 0x0a000001 })), null, '39 % 4 = 3: C has weight 0');
  t.equal(bucketOf(0x0a000001, 40001), 45);
  t.equal(port.schedule(packet({ srcFold: 0x0a000001, srcPort: 40001 })), a, '45 % 4 = 1: A');
});

t.test('the whole address counts: the same last octet no longer lands in the same bucket', async (t) => {
  const s = new SourceHash(ctx());
  s.update([dest('A', 1), dest('B', 1), dest('C', 1), dest('D', 1)]);
  // The pre-hash_32 formula kept the product's low byte, so 10.0.0.1 and 11.0.0.1 always shared a bucket.
  t.equal(bucketOf(0x0b000001), 110);
  t.equal(s.bucket(0x0a000001, 0, 0), 39);
  t.equal(s.bucket(0x0b000001, 0, 0), 110);
  t.not(s.schedule(packet({ srcFold: 0x0a000001 })), s.schedule(packet({ srcFold: 0x0b000001 })), '39 % 4 = 3: D, 110 % 4 = 2: C');
});

t.test('sh-fallback walks roffset = (offset + ihash) % 256, rehashed', async (t) => {
  const [a, b, c] = [dest('A', 2), dest('B', 1), dest('C', 0)];
  const s = new SourceHash(ctx({ fallback: true }));
  s.update([a, b, c]);
  const src = 0x0a000001; // ihash 39 → C (weight 0)
  // rehash of roffset r is (r + 39) & 255 = offset + 78 for small offsets: 78 % 4 = 2 → B
  t.equal(s.schedule(packet({ srcFold: src })), b);
  setCounters(s, b, 0, 0, true);
  // offset 0 → 78 (B, overloaded), offset 1 → 79 (C), offset 2 → 80 (A)
  t.equal(bucketOf(src, 0, 39 + 2), 80);
  t.equal(s.schedule(packet({ srcFold: src })), a);
  setCounters(s, a, 0, 0, true);
  t.equal(s.schedule(packet({ srcFold: src })), null, 'every bucket unavailable: a full turn, then none');
});

t.test('weight edits refill the table', async (t) => {
  const [a, b] = [dest('A', 1), dest('B', 1)];
  const s = new SourceHash(ctx());
  s.update([a, b]);
  t.equal(s.schedule(packet({ srcFold: 0x0a000002 })), b, '137 is odd: B');
  a.weight = 3;
  s.update([a, b]);
  t.equal(s.schedule(packet({ srcFold: 0x0a000002 })), a, '137 % 4 = 1 in A A A B: A');
});
