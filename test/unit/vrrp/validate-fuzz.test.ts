// Bounded mutation fuzzing of validation: valid adverts for an instance, mutated (bytes flipped, cut,
// extended, header fields set at random), must never throw, and every rejection names a known reason with a
// detail; an unmutated advert is accepted, so the harness itself is live.
import fc from 'fast-check';
import t from 'tap';
import { parseIp } from '../../../src/model/address.js';
import { encodeAdvert } from '../../../src/vrrp/codec/advert.js';
import { validateAdvert, type Rejection } from '../../../src/vrrp/validate.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';

const REASONS: readonly Rejection[] = ['truncated', 'length', 'vrid', 'ttl', 'version', 'auth-type-invalid', 'auth-type-mismatch',
  'auth-pass', 'interval', 'type', 'address-count', 'checksum', 'destination', 'address-list', 'unicast-source', 'unicast-ttl'];
const src = parseIp('10.213.0.2')!;
const dst = parseIp('224.0.0.18')!;
const v2 = vrrpConf(instanceConf('A', 51, ' authentication {\n  auth_type PASS\n  auth_pass secret12\n }')).instance('A');
const v3 = vrrpConf(instanceConf('B', 52, ' version 3')).instance('B');
const base = {
  2: encodeAdvert({ version: 2, vrid: 51, priority: 200, advertIntSec: 1, authType: 1, authData: new TextEncoder().encode('secret12'), addrs: [parseIp('10.213.0.100')!] }, { src, dst }),
  3: encodeAdvert({ version: 3, vrid: 52, priority: 200, advertIntCs: 100, addrs: [parseIp('10.213.0.100')!] }, { src, dst }),
} as const;

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.integer({ min: 0, max: 7 }), value: fc.integer({ min: 0, max: 255 }) }),
);

t.test('mutated adverts never throw; each rejection has a known reason and a detail', async (t) => {
  for (const [inst, v] of [[v2, 2], [v3, 3]] as const) t.ok(validateAdvert({ src, dst, ttl: 255, payload: base[v] }, inst, true).ok, `the unmutated v${v} advert is accepted`);
  const seen = new Set<Rejection>();
  let rejected = 0;
  fc.assert(fc.property(fc.constantFrom(2 as const, 3 as const), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.option(fc.integer({ min: 0, max: 255 })), (v, muts, ttl) => {
    let b: Uint8Array = base[v].slice();
    for (const m of muts) {
      if (m.kind === 'flip' && b.length) b[m.at % b.length]! ^= m.xor;
      else if (m.kind === 'cut') b = b.subarray(0, m.at % (b.length + 1));
      else if (m.kind === 'extend') b = Uint8Array.from([...b, ...m.extra]);
      else if (m.kind === 'set' && m.at < b.length) b[m.at] = m.value;
    }
    const r = validateAdvert({ src, dst, ttl: ttl ?? 255, payload: b }, v === 2 ? v2 : v3, true);
    if (r.ok) return true;
    rejected++;
    seen.add(r.reason);
    return REASONS.includes(r.reason) && r.detail.length > 0;
  }), { numRuns: 3000, seed: 13 });
  t.ok(rejected > 2000, `${rejected} of 3000 mutations rejected`);
  t.ok(seen.size >= 8, `reasons met: ${[...seen].sort().join(', ')}`);
});
