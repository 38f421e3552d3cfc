import t from 'tap';
import { parseIp } from '../../../src/model/address.js';
import { garpFrame, onesSum, unsolicitedNaFrame } from '../../../src/platform/announce-frames.js';
import { hex } from '../netlink/fixtures/hex.js';

// Golden frames worked out from RFC 826 / RFC 4861 §4.4 and keepalived's vrrp_arp.c / vrrp_ndisc.c; the NA
// checksums were checked with an independent implementation of RFC 1071 over the RFC 8200 §8.1 pseudo-header.

const MAC = Buffer.from('020000aabbcc', 'hex');

t.test('gratuitous ARP request: broadcast, sender = target = VIP, target MAC all ones', async (t) => {
  t.same(garpFrame(MAC, parseIp('192.0.2.10')!), hex(`
    ffffffffffff 020000aabbcc 0806   Ethernet: broadcast, from MAC, ARP
    0001 0800 0604 0001              Ethernet / IPv4, 6 / 4 bytes, REQUEST
    020000aabbcc c000020a            sender: MAC, 192.0.2.10
    ffffffffffff c000020a            target: all ones, 192.0.2.10
  `));
});

t.test('unsolicited NA: all nodes, hop limit 255, O flag, target link-layer option, checksum', async (t) => {
  const frame = unsolicitedNaFrame(MAC, parseIp('2001:db8::10')!);
  t.same(frame, hex(`
    333300000001 020000aabbcc 86dd                 Ethernet: 33:33:00:00:00:01 (ff02::1), IPv6
    60000000 0020 3aff                             IPv6: payload 32, ICMPv6, hop limit 255
    20010db8000000000000000000000010               source 2001:db8::10 (the VIP)
    ff020000000000000000000000000001               destination ff02::1
    8800 3c97                                      ICMPv6 136 code 0, checksum
    20000000                                       R=0 S=0 O=1
    20010db8000000000000000000000010               target
    0201 020000aabbcc                              option 2 (target link-layer address), 8 bytes
  `));
  const pseudo = Buffer.concat([frame.subarray(22, 54), Buffer.from([0, 0, 0, 32, 0, 0, 0, 58])]);
  t.equal(onesSum(frame.subarray(54), onesSum(pseudo)), 0xffff, 'the checksum verifies');
  const router = unsolicitedNaFrame(MAC, parseIp('2001:db8::10')!, { router: true });
  t.equal(router.readUInt32BE(58), 0xa0000000, 'R and O set');
  t.equal(router.readUInt16BE(56), 0xbc96, 'checksum follows the flags');
});

t.test('bad input is a clear error', async (t) => {
  t.throws(() => garpFrame(Buffer.alloc(5), parseIp('192.0.2.1')!), { code: 'LVSD_E_ANNOUNCE_MAC', message: /6 bytes, got 5/ });
  t.throws(() => garpFrame(MAC, parseIp('2001:db8::1')!), { code: 'LVSD_E_ANNOUNCE_FAMILY', message: /IPv4 .*2001:db8::1/ });
  t.throws(() => unsolicitedNaFrame(MAC, parseIp('192.0.2.1')!), { code: 'LVSD_E_ANNOUNCE_FAMILY' });
});

t.test('onesSum folds carries and pads an odd byte', async (t) => {
  t.equal(onesSum(Buffer.from([0xff, 0xff, 0x00, 0x02])), 0x0002);
  t.equal(onesSum(Buffer.from([0x12])), 0x1200);
});
