import t from 'tap';
import { parseIp, type IpAddr } from '../../../src/model/address.js';
import { AUTH_PASS, advertOf, checksumOk, decodeAdvert, encodeAdvert, passAuthData, type Advert } from '../../../src/vrrp/codec/advert.js';
import { decodeIpv4, encodeIpv4 } from '../../../src/vrrp/codec/ipv4.js';

const ip = (s: string): IpAddr => parseIp(s)!;
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** RFC 1071 by hand, independent of the code under test: 16-bit words, end-around carry, complement. */
function rfc1071(bytes: number[]): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i += 2) s += (bytes[i]! << 8) + (bytes[i + 1] ?? 0);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return ~s & 0xffff;
}

// Captured from Debian's keepalived 2.2.7 on a veth pair in two network namespaces (tcpdump -x), multicast to
// 224.0.0.18 / ff02::12 — see the commit that added this file for the configuration.
const KA_V2 = hex('45c0 002c 0001 0000 ff70 cfb8 0ad5 0001 e000 0012 2133 9602 0101 c3d7 0ad5 0064 0ad5 0065 7365 6372 6574 3132');
const KA_V2_STOP = hex('45c0 002c 000a 0000 ff70 cfaf 0ad5 0001 e000 0012 2133 0002 0101 59d8 0ad5 0064 0ad5 0065 7365 6372 6574 3132');
const KA_V3 = hex('45c0 0020 0001 0000 ff70 cfc4 0ad5 0001 e000 0012 3134 c801 0032 0ff8 0ad5 0066');
const KA_V6_PAYLOAD = hex('3135 6402 0064 9d02 fd00 0213 0000 0000 0000 0000 0000 0100 fd00 0213 0000 0000 0000 0000 0000 0101');
const V4_ENDS = { src: ip('10.213.0.1'), dst: ip('224.0.0.18') };
const V6_ENDS = { src: ip('fe80::b00c:18ff:feb4:74a'), dst: ip('ff02::12') };

t.test('VRRPv2 with PASS: RFC 3768 §5.1 layout by hand, and keepalived 2.2.7 on the wire', async (t) => {
  const body = [
    0x21, 51, 150, 2, // version 2 | type 1, VRID, priority, count
    AUTH_PASS, 1, 0, 0, // auth type PASS, advert interval 1 s, checksum (0 while summing)
    10, 213, 0, 100, 10, 213, 0, 101,
    ...Buffer.from('secret12'),
  ];
  const sum = rfc1071(body);
  body[6] = sum >> 8;
  body[7] = sum & 0xff;
  const advert: Advert = {
    version: 2, vrid: 51, priority: 150, authType: AUTH_PASS, authData: passAuthData('secret12'), advertIntSec: 1,
    addrs: [ip('10.213.0.100'), ip('10.213.0.101')],
  };
  const bytes = encodeAdvert(advert, V4_ENDS);
  t.equal(toHex(bytes), toHex(Uint8Array.from(body)), 'encoder matches the RFC layout');
  t.equal(toHex(bytes), toHex(KA_V2.subarray(20)), 'and keepalived byte for byte');
  t.equal(toHex(encodeIpv4({ ...V4_ENDS, ttl: 255, id: 1 }, bytes)), toHex(KA_V2), 'with keepalived’s IP header around it');
  t.equal(toHex(encodeAdvert({ ...advert, priority: 0 }, V4_ENDS)), toHex(KA_V2_STOP.subarray(20)), 'priority 0 on stop');

  const ipd = decodeIpv4(KA_V2);
  if (!ipd.ok) throw new Error(ipd.detail);
  t.match(ipd.packet, { ttl: 255, protocol: 112, src: { text: '10.213.0.1' }, dst: { text: '224.0.0.18' } });
  const d = decodeAdvert(ipd.packet.payload, 4);
  if (!d.ok) throw new Error(d.detail);
  t.ok(checksumOk(ipd.packet.payload, d.raw, ipd.packet));
  t.same(advertOf(d.raw), advert, 'decodes back to the same advert');
});

t.test('VRRPv3 IPv4: pseudo-header checksum (RFC 5798 §5.2.8), centiseconds in 12 bits', async (t) => {
  const body = [0x31, 52, 200, 1, 0x00, 50, 0, 0, 10, 213, 0, 102];
  // pseudo-header: src, dst, zero, protocol 112, VRRP length
  const pseudo = [10, 213, 0, 1, 224, 0, 0, 18, 0, 112, 0, body.length];
  const sum = rfc1071([...pseudo, ...body]);
  body[6] = sum >> 8;
  body[7] = sum & 0xff;
  const advert: Advert = { version: 3, vrid: 52, priority: 200, advertIntCs: 50, addrs: [ip('10.213.0.102')] };
  const bytes = encodeAdvert(advert, V4_ENDS);
  t.equal(toHex(bytes), toHex(Uint8Array.from(body)));
  t.equal(toHex(encodeIpv4({ ...V4_ENDS, ttl: 255, id: 1 }, bytes)), toHex(KA_V3), 'keepalived byte for byte');
  t.equal(toHex(encodeAdvert({ ...advert, advertIntCs: 4095 }, V4_ENDS).subarray(4, 6)), '0fff', 'the top 4 bits stay reserved');
  const d = decodeAdvert(KA_V3.subarray(20), 4);
  if (!d.ok) throw new Error(d.detail);
  t.same(advertOf(d.raw), advert);
  t.notOk(checksumOk(KA_V3.subarray(20), d.raw, { src: ip('10.213.0.9'), dst: V4_ENDS.dst }), 'another source breaks the v3 checksum');
});

t.test('VRRPv3 IPv6: 16-byte addresses, IPv6 pseudo-header', async (t) => {
  const advert: Advert = { version: 3, vrid: 53, priority: 100, advertIntCs: 100, addrs: [ip('fd00:213::100'), ip('fd00:213::101')] };
  t.equal(toHex(encodeAdvert(advert, V6_ENDS)), toHex(KA_V6_PAYLOAD), 'keepalived byte for byte');
  const d = decodeAdvert(KA_V6_PAYLOAD, 6);
  if (!d.ok) throw new Error(d.detail);
  t.same(advertOf(d.raw), advert);
  t.ok(checksumOk(KA_V6_PAYLOAD, d.raw, V6_ENDS));
});

t.test('what cannot be read is a rejection, not an exception', async (t) => {
  t.match(decodeAdvert(new Uint8Array(7), 4), { ok: false, reason: 'truncated' });
  t.match(decodeAdvert(KA_V2.subarray(20, 40), 4), { ok: false, reason: 'truncated', detail: /20 bytes, but 2 IPv4/ });
  t.match(decodeAdvert(Uint8Array.from([...KA_V2.subarray(20), 0]), 4), { ok: false, reason: 'length' });
  t.match(decodeAdvert(KA_V2.subarray(20), 6), { ok: false, reason: 'truncated' }, 'IPv4 bytes read as IPv6 do not fit');
  t.match(decodeIpv4(KA_V2.subarray(0, 30)), { ok: false, reason: 'length', detail: /total length 44 but 30/ });
  t.match(decodeIpv4(Uint8Array.from([0x46, ...KA_V2.subarray(1, 22)])), { ok: false, reason: 'truncated', detail: /24-byte IPv4 header/ });
  t.match(decodeIpv4(new Uint8Array(20)), { ok: false, reason: 'truncated', detail: /not an IPv4 header/ });
});

t.test('the encoder refuses fields that do not fit', async (t) => {
  const v3: Advert = { version: 3, vrid: 1, priority: 100, advertIntCs: 100, addrs: [ip('10.0.0.1')] };
  t.throws(() => encodeAdvert({ ...v3, vrid: 0 }, V4_ENDS), /VRID 0 is not 1..255/);
  t.throws(() => encodeAdvert({ ...v3, advertIntCs: 4096 }, V4_ENDS), /4096 cs/);
  t.throws(() => encodeAdvert({ ...v3, addrs: [ip('10.0.0.1'), ip('fd00::1')] }, V4_ENDS), /mixed families/);
  t.throws(() => encodeAdvert({ version: 2, vrid: 1, priority: 1, authType: 0, authData: new Uint8Array(8), advertIntSec: 1, addrs: [ip('fd00::1')] }, V6_ENDS), /IPv4 addresses only/);
});
