import t from 'tap';
import { SourceHash } from '../../../../src/dataplane/sched/sh.js';
import { ctx, dest, packet, setCounters } from './fixtures/sched.js';

// (offset + (port + src) * 2654435761) & 255 depends only on the low bytes: 2654435761 & 0xff = 0xb1.
const bucketOf = (src: number, port = 0, offset = 0): number => (offset + (((src + port) & 0xff) * 0xb1)) & 0xff;
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
  t.equal(bucketOf(0x0a000001), 177);
  t.equal(plain.schedule(packet({ srcFold: 0x0a000001, srcPort: 40001 })), a, '177 % 4 = 1: A');
  t.equal(plain.schedule(packet({ srcFold: 0x0a000002 })), b, '98 % 4 = 2: B');
  t.equal(bucketOf(0x0a000001, 40001), 162);
  t.equal(port.schedule(packet({ srcFold: 0x0a000001, srcPort: 40001 })), b, '162 % 4 = 2: B');
  t.equal(plain.schedule(packet({ srcFold: 0x0a000003 })), null, '19 % 4 = 3: C has weight 0');
});

t.test('sh-fallback walks roffset = (offset + ihash) % 256, rehashed', async (t) => {
  const [a, b, c] = [dest('A', 2), dest('B', 1), dest('C', 0)];
  const s = new SourceHash(ctx({ fallback: true }));
  s.update([a, b, c]);
  const src = 0x0a000003; // ihash 19 → C (weight 0)
  // rehash of roffset r is (r + 19) & 255 = offset + 38 for small offsets: 38 % 4 = 2 → B
  t.equal(s.schedule(packet({ srcFold: src })), b);
  setCounters(s, b, 0, 0, true);
  // offset 0 → 38 (B, overloaded), offset 1 → 39 (C), offset 2 → 40 (A)
  t.equal(bucketOf(src, 0, 19 + 2), 40);
  t.equal(s.schedule(packet({ srcFold: src })), a);
  setCounters(s, a, 0, 0, true);
  t.equal(s.schedule(packet({ srcFold: src })), null, 'every bucket unavailable: a full turn, then none');
});

t.test('weight edits refill the table', async (t) => {
  const [a, b] = [dest('A', 1), dest('B', 1)];
  const s = new SourceHash(ctx());
  s.update([a, b]);
  t.equal(s.schedule(packet({ srcFold: 0x0a000001 })), b, '177 is odd: B');
  a.weight = 3;
  s.update([a, b]);
  t.equal(s.schedule(packet({ srcFold: 0x0a000001 })), a, '177 % 4 = 1 in A A A B: A');
});
