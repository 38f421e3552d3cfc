import t from 'tap';
import { hash32, hsiphash32, sipKey } from '../../../../src/dataplane/sched/hash.js';
import { hsiphashRef } from '../../../../bench/kernel-linear/hashed.js';
import { seeded } from './fixtures/sched.js';

t.test('hsiphash of 4 bytes matches the kernel self-test vector (lib/test_siphash.c, 64-bit)', async (t) => {
  // key bytes 00..0f, input bytes 00 01 02 03: test_vectors_hsiphash[4]
  const key = sipKey(0x03020100, 0x0b0a0908, 0x07060504, 0x0f0e0d0c);
  t.equal(hsiphash32(0x03020100, key), 0x88d38328);
});

t.test('hsiphash agrees with a BigInt SipHash-1-3 on random input, for the mh keys', async (t) => {
  const rng = seeded(42);
  const key = sipKey(2654435761, 2654435761);
  let bad = 0;
  for (let i = 0; i < 5000; i++) {
    const v = rng();
    if (hsiphash32(v, key) !== hsiphashRef(v, 2654435761n, 2654435761n)) bad++;
  }
  t.equal(bad, 0);
});

t.test('hash_32: the golden-ratio multiply keeping the top bits', async (t) => {
  t.equal(hash32(1, 10), 0x61c88647 >>> 22, 'hash_32(1, 10)');
  t.equal(hash32(0xffffffff, 10), Number(((0xffffffffn * 0x61c88647n) & 0xffffffffn) >> 22n));
});
