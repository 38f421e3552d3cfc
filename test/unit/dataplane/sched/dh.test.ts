import t from 'tap';
import { DestinationHash } from '../../../../src/dataplane/sched/dh.js';
import { dest, packet, setCounters } from './fixtures/sched.js';

// The 6.1 kernel's hash_32(dst, 8): the top byte of the u32 product with GOLDEN_RATIO_32 (BigInt here).
const bucketOf = (dst: number): number => Number(((BigInt(dst >>> 0) * 0x61c88647n) & 0xffffffffn) >> 24n);

t.test('256 buckets dealt round-robin, weight ignored', async (t) => {
  const s = new DestinationHash();
  const [a, b, c] = [dest('A', 100), dest('B', 1), dest('C', 1)];
  s.update([a, b, c]);
  t.same(
    s.table.map((d) => (d as { name: string } | null)?.name),
    Array.from({ length: 256 }, (_, i) => ['A', 'B', 'C'][i % 3]),
  );
  t.equal(bucketOf(0x0a640001), 155);
  t.equal(s.schedule(packet({ dstFold: 0x0a640001 })), c, 'bucket 155 = 51 * 3 + 2: C');
  t.equal(bucketOf(0x0a640002), 253);
  t.equal(s.schedule(packet({ dstFold: 0x0a640002 })), b, 'bucket 253 = 84 * 3 + 1: B');
  t.equal(bucketOf(0x0b640001), 226);
  t.equal(s.schedule(packet({ dstFold: 0x0b640001 })), b, 'same last octet as 10.100.0.1, yet bucket 226 = 75 * 3 + 1: B');
  t.equal(s.schedule(packet({ dstFold: 0xc0000001, srcFold: 7 })), c, 'only the destination address counts (161 = 53 * 3 + 2)');
});

t.test('no fallback: quiesced, overloaded or removed means no destination', async (t) => {
  const s = new DestinationHash();
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  const pkt = packet({ dstFold: 0x0a640001 }); // bucket 155 → B
  t.equal(s.schedule(pkt), b);
  setCounters(s, b, 0, 0, true);
  t.equal(s.schedule(pkt), null);
  setCounters(s, b, 0, 0, false);
  b.weight = 0;
  t.equal(s.schedule(pkt), null);
  b.weight = 1;
  b.available = false;
  t.equal(s.schedule(pkt), null, 'IP_VS_DEST_F_AVAILABLE is checked');
  s.update([]);
  t.equal(s.schedule(pkt), null);
});
