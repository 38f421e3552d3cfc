import t from 'tap';
import { DestinationHash } from '../../../../src/dataplane/sched/dh.js';
import { dest, packet, setCounters } from './fixtures/sched.js';

// bucket = (dst * 2654435761) & 255: only the low bytes matter, so bucket = (dst & 0xff) * 0xb1 & 0xff.
const bucketOf = (dst: number): number => ((dst & 0xff) * 0xb1) & 0xff;

t.test('256 buckets dealt round-robin, weight ignored', async (t) => {
  const s = new DestinationHash();
  const [a, b, c] = [dest('A', 100), dest('B', 1), dest('C', 1)];
  s.update([a, b, c]);
  t.same(
    s.table.map((d) => (d as { name: string } | null)?.name),
    Array.from({ length: 256 }, (_, i) => ['A', 'B', 'C'][i % 3]),
  );
  t.equal(bucketOf(0x0a640001), 177);
  t.equal(s.schedule(packet({ dstFold: 0x0a640001 })), a, 'bucket 177 = 59 * 3: A');
  t.equal(s.schedule(packet({ dstFold: 0x0a640002 })), c, 'bucket 98 = 32 * 3 + 2: C');
  t.equal(s.schedule(packet({ dstFold: 0xc0000001, srcFold: 7 })), a, 'only the destination address counts');
});

t.test('no fallback: quiesced, overloaded or removed means no destination', async (t) => {
  const s = new DestinationHash();
  const [a, b] = [dest('A', 1), dest('B', 1)];
  s.update([a, b]);
  const pkt = packet({ dstFold: 0x0a640001 }); // bucket 177 → B
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
