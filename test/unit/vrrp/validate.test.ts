import t from 'tap';
import { parseIp, type IpAddr } from '../../../src/model/address.js';
import { encodeAdvert, passAuthData, type Advert, type AdvertV2 } from '../../../src/vrrp/codec/advert.js';
import { shouldCheckAddrs, validateAdvert, type Received } from '../../../src/vrrp/validate.js';
import { instanceConf, vrrpConf } from './fixtures/conf.js';

const ip = (s: string): IpAddr => parseIp(s)!;
const SRC = ip('10.213.0.2');
const MCAST = ip('224.0.0.18');

const v2 = vrrpConf(instanceConf('V2', 51, ' authentication {\n  auth_type PASS\n  auth_pass secret12\n }', '10.213.0.100 10.213.0.101')).instance('V2');
const good2: AdvertV2 = {
  version: 2, vrid: 51, priority: 100, authType: 1, authData: passAuthData('secret12'), advertIntSec: 1,
  addrs: [ip('10.213.0.101'), ip('10.213.0.100')],
};
const rx = (a: Advert, o: Partial<Received> = {}): Received => {
  const src = o.src ?? SRC;
  const dst = o.dst ?? MCAST;
  return { src, dst, ttl: 255, payload: encodeAdvert(a, { src, dst }), ...o };
};

t.test('a good advert passes; addresses may come in any order', async (t) => {
  t.match(validateAdvert(rx(good2), v2, true), { ok: true, advert: { vrid: 51, priority: 100 } });
});

t.test('each rule has its own reason (keepalived vrrp_check_packet)', async (t) => {
  const cases: Array<[string, Received]> = [
    ['vrid', rx({ ...good2, vrid: 52 })],
    ['ttl', rx(good2, { ttl: 254 })],
    ['version', rx({ version: 3, vrid: 51, priority: 100, advertIntCs: 100, addrs: good2.addrs })],
    ['auth-type-invalid', rx({ ...good2, authType: 3 })],
    ['auth-type-mismatch', rx({ ...good2, authType: 0 })],
    ['auth-pass', rx({ ...good2, authData: passAuthData('secret13') })],
    ['interval', rx({ ...good2, advertIntSec: 2 })],
    ['address-count', rx({ ...good2, addrs: [ip('10.213.0.100')] })],
    ['destination', rx(good2, { dst: ip('10.213.0.1') })],
    ['address-list', rx({ ...good2, addrs: [ip('10.213.0.100'), ip('10.213.0.102')] })],
  ];
  for (const [reason, p] of cases) t.match(validateAdvert(p, v2, true), { ok: false, reason }, reason);
  const typed = rx(good2);
  typed.payload[0] = 0x22;
  typed.payload[6]! -= 1; // keep the checksum right: type 2 adds 1 to the first word
  t.match(validateAdvert(typed, v2, true), { ok: false, reason: 'type', detail: 'type 2, expected 1' });
  const corrupt = rx(good2);
  corrupt.payload[9]! ^= 1;
  t.match(validateAdvert(corrupt, v2, true), { ok: false, reason: 'checksum' }, 'the checksum comes before the address list');
  t.match(validateAdvert({ ...rx(good2), payload: rx(good2).payload.subarray(0, 20) }, v2, true), { ok: false, reason: 'truncated' });
  t.match(validateAdvert(rx(good2, { ttl: null }), v2, true), { ok: true }, 'an unknown TTL is not checked');
});

t.test('the order is keepalived’s: a wrong TTL is reported before a wrong version', async (t) => {
  const p = rx({ version: 3, vrid: 51, priority: 100, advertIntCs: 100, addrs: good2.addrs }, { ttl: 1 });
  t.match(validateAdvert(p, v2, true), { reason: 'ttl' });
});

t.test('skip_check_adv_addr skips the address checks for the known master only', async (t) => {
  const skip = vrrpConf(instanceConf('S', 51, ' skip_check_adv_addr')).instance('S');
  const other = { version: 2 as const, vrid: 51, priority: 100, authType: 0, authData: new Uint8Array(8), advertIntSec: 1, addrs: [ip('10.9.9.9')] };
  t.equal(shouldCheckAddrs(skip, SRC, SRC), false);
  t.equal(shouldCheckAddrs(skip, SRC, ip('10.213.0.3')), true);
  t.equal(shouldCheckAddrs(skip, null, SRC), true);
  t.equal(shouldCheckAddrs(v2, SRC, SRC), true, 'without the option every advert is checked');
  t.match(validateAdvert(rx(other), skip, shouldCheckAddrs(skip, SRC, SRC)), { ok: true });
  t.match(validateAdvert(rx(other), skip, true), { ok: false, reason: 'address-list' });
});

t.test('unicast: peers, their TTL range, and no multicast', async (t) => {
  const uni = vrrpConf(instanceConf('U', 60, ' version 3\n unicast_src_ip 10.213.0.1\n unicast_peer {\n  10.213.0.2 min_ttl 250 max_ttl 255\n  10.213.0.3\n }')).instance('U');
  t.equal(uni.checkUnicastSrc, true, 'min_ttl turns the source check on');
  const a: Advert = { version: 3, vrid: 60, priority: 100, advertIntCs: 100, addrs: [ip('10.213.0.100')] };
  const to = ip('10.213.0.1');
  t.match(validateAdvert(rx(a, { dst: to, ttl: 64 }), uni, true), { ok: false, reason: 'unicast-ttl', detail: /TTL 64 from 10.213.0.2 is outside 250..255/ });
  t.match(validateAdvert(rx(a, { dst: to, ttl: 250 }), uni, true), { ok: true }, 'unicast is not held to TTL 255');
  t.match(validateAdvert(rx(a, { dst: to, src: ip('10.213.0.3'), ttl: 1 }), uni, true), { ok: true }, 'default range 0..255');
  t.match(validateAdvert(rx(a, { dst: to, src: ip('10.213.0.9') }), uni, true), { ok: false, reason: 'unicast-source' });
  t.match(validateAdvert(rx(a), uni, true), { ok: false, reason: 'destination' });
  const v6 = vrrpConf(instanceConf('S6', 61, ' version 3', 'fd00::100')).instance('S6');
  const a6: Advert = { version: 3, vrid: 61, priority: 100, advertIntCs: 100, addrs: [ip('fd00::100')] };
  t.match(validateAdvert(rx(a6, { src: ip('fe80::1'), dst: ip('ff02::12') }), v6, true), { ok: true });
  t.match(validateAdvert(rx(a6, { src: ip('fe80::1'), dst: ip('ff02::12'), ttl: 64 }), v6, true), { ok: false, reason: 'ttl' }, 'hop limit 255 for IPv6');
});
