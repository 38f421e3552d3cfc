// Round-trip properties of the advert codec, and bounded fuzzing: bytes from anywhere never throw.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import { parseIp, type IpAddr } from '../../../src/model/address.js';
import { advertOf, checksumOk, decodeAdvert, encodeAdvert, type Advert } from '../../../src/vrrp/codec/advert.js';
import { decodeIpv4, encodeIpv4 } from '../../../src/vrrp/codec/ipv4.js';
import { validateAdvert } from '../../../src/vrrp/validate.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';

const v4 = fc.ipV4().map((s): IpAddr => parseIp(s)!);
const v6 = fc.ipV6().map((s): IpAddr => parseIp(s)!);
const RUNS = { numRuns: 400, seed: 13 };

const advert4: fc.Arbitrary<Advert> = fc.oneof(
  fc.record({
    version: fc.constant(2 as const), vrid: fc.integer({ min: 1, max: 255 }), priority: fc.integer({ min: 0, max: 255 }),
    authType: fc.integer({ min: 0, max: 255 }), authData: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    advertIntSec: fc.integer({ min: 1, max: 255 }), addrs: fc.array(v4, { maxLength: 20 }),
  }),
  fc.record({
    version: fc.constant(3 as const), vrid: fc.integer({ min: 1, max: 255 }), priority: fc.integer({ min: 0, max: 255 }),
    advertIntCs: fc.integer({ min: 1, max: 4095 }), addrs: fc.array(v4, { minLength: 1, maxLength: 20 }),
  }),
);
const advert6: fc.Arbitrary<Advert> = fc.record({
  version: fc.constant(3 as const), vrid: fc.integer({ min: 1, max: 255 }), priority: fc.integer({ min: 0, max: 255 }),
  advertIntCs: fc.integer({ min: 1, max: 4095 }), addrs: fc.array(v6, { minLength: 1, maxLength: 10 }),
});
const case4 = fc.record({ a: advert4, src: v4, dst: v4 });
const case6 = fc.record({ a: advert6, src: v6, dst: v6 });

t.test('encode → decode is the identity and the checksum holds (IPv4 v2/v3, IPv6 v3)', async (t) => {
  for (const [af, arb] of [[4, case4], [6, case6]] as const) {
    fc.assert(fc.property(arb, ({ a, src, dst }) => {
      const bytes = encodeAdvert(a, { src, dst });
      const d = decodeAdvert(bytes, af);
      return d.ok && checksumOk(bytes, d.raw, { src, dst }) && isDeepStrictEqual(advertOf(d.raw), { ...a });
    }), RUNS);
  }
  t.pass('properties held');
});

t.test('any one corrupted byte is caught by the length or the checksum', async (t) => {
  fc.assert(fc.property(case4, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ a, src, dst }, at, xor) => {
    const bytes = encodeAdvert(a, { src, dst });
    const i = at % bytes.length;
    bytes[i]! ^= xor;
    const d = decodeAdvert(bytes, 4);
    return !d.ok || !checksumOk(bytes, d.raw, { src, dst });
  }), RUNS);
  t.pass('every corruption rejected');
});

t.test('random and truncated bytes never throw: decoders and validation only reject', async (t) => {
  const inst = vrrpConf(instanceConf('VI', 51, ' authentication {\n  auth_type PASS\n  auth_pass secret12\n }')).instance('VI');
  const v3 = vrrpConf(instanceConf('V3', 52, ' version 3', 'fd00::100')).instance('V3');
  const dst = parseIp('224.0.0.18')!;
  let rejected = 0;
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.option(fc.integer({ min: 0, max: 255 })), (bytes, ttl) => {
    for (const af of [4, 6] as const) decodeAdvert(bytes, af);
    const ipd = decodeIpv4(bytes);
    const src = ipd.ok ? ipd.packet.src : parseIp('10.0.0.2')!;
    for (const i of [inst, v3]) if (!validateAdvert({ src, dst, ttl, payload: bytes }, i, true).ok) rejected++;
    return true;
  }), { numRuns: 2000, seed: 7 });
  // Truncations of a valid packet, every length.
  const good = encodeIpv4({ src: parseIp('10.0.0.2')!, dst, ttl: 255, id: 1 }, encodeAdvert({
    version: 2, vrid: 51, priority: 100, authType: 1, authData: Buffer.from('secret12'), advertIntSec: 1, addrs: [parseIp('10.213.0.100')!],
  }, { src: parseIp('10.0.0.2')!, dst }));
  for (let n = 0; n < good.length; n++) {
    const r = decodeIpv4(good.subarray(0, n));
    t.notOk(r.ok, `IPv4 packet cut at ${n} bytes is rejected`);
    t.notOk(validateAdvert({ src: parseIp('10.0.0.2')!, dst, ttl: 255, payload: good.subarray(20, Math.max(20, n)) }, inst, true).ok);
  }
  t.ok(rejected >= 3990, `random bytes rejected (${rejected} of 4000)`);
});
