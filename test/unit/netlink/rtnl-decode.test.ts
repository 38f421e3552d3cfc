import t from 'tap';
import { NetlinkFormatError } from '../../../src/netlink/errors.js';
import type { NlMessage } from '../../../src/netlink/framing.js';
import { addressFrom, linkFrom, neighbourFrom } from '../../../src/netlink/rtnl/map.js';
import { RTM } from '../../../src/netlink/rtnl/spec.js';
import { hex } from './fixtures/hex.js';

// Replies as the kernel sends them (net/ipv4/devinet.c inet_fill_ifaddr, net/core/rtnetlink.c rtnl_fill_ifinfo,
// net/core/neighbour.c neigh_fill_info), written out by hand; x86 host order.

const msg = (type: number, payload: string): NlMessage => ({ type, flags: 0, seq: 1, pid: 0, payload: hex(payload) });

t.test('RTM_NEWADDR: a secondary IPv4 VIP with label, broadcast and lifetimes', async (t) => {
  const a = addressFrom(msg(RTM.NEWADDR, `
    0218 8100 05000000          AF_INET /24, ifa_flags SECONDARY|PERMANENT, scope 0, index 5
    08000100 c000020a           IFA_ADDRESS
    08000200 c000020a           IFA_LOCAL
    08000400 c00002ff           IFA_BROADCAST
    0d000300 65746830 3a766970 00000000   IFA_LABEL "eth0:vip"
    08000800 81000000           IFA_FLAGS
    14000600 ffffffff ffffffff 10000000 20000000   IFA_CACHEINFO forever, forever
    08006300 01020304           an attribute from a newer kernel, ignored
  `), 'test');
  t.same(a, {
    ifindex: 5, addr: { af: 4, text: '192.0.2.10' }, prefix: 24, scope: 0, flags: 0x81, label: 'eth0:vip',
    broadcast: { af: 4, text: '192.0.2.255' }, peer: null, preferredLft: 'forever', validLft: 'forever',
  });
});

t.test('RTM_NEWADDR: a point-to-point address has its peer; IPv6 lifetimes in seconds', async (t) => {
  const p = addressFrom(msg(RTM.NEWADDR, `
    0220 80fd 07000000
    08000100 0a000002           IFA_ADDRESS (peer)
    08000200 0a000001           IFA_LOCAL
  `), 'test');
  t.match(p, { addr: { text: '10.0.0.1' }, peer: { text: '10.0.0.2' }, scope: 253, preferredLft: null });
  const six = addressFrom(msg(RTM.NEWADDR, `
    0a40 0000 02000000
    14000100 20010db8 00000000 00000000 00000010
    14000600 00000000 2c010000 00000000 00000000   preferred 0, valid 300
  `), 'test');
  t.match(six, { addr: { af: 6, text: '2001:db8::10' }, prefix: 64, peer: null, preferredLft: 0, validLft: 300 });
});

t.test('RTM_NEWLINK: name, MAC, up / lower up / running, operstate', async (t) => {
  const l = linkFrom(msg(RTM.NEWLINK, `
    00000100 04000000 43100100 00000000   ifinfomsg: ARPHRD_ETHER, index 4, UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
    09000300 76307831 00000000            IFLA_IFNAME "v0x1"
    08000400 dc050000                     IFLA_MTU 1500
    0a000100 020000aa bbcc0000            IFLA_ADDRESS
    05001000 06000000                     IFLA_OPERSTATE up
    05002100 01000000                     IFLA_CARRIER 1
  `), 'test');
  t.same(l, { index: 4, name: 'v0x1', mac: '02:00:00:aa:bb:cc', mtu: 1500, flags: 0x11043, adminUp: true, lowerUp: true, running: true, operstate: 'up' });
  const down = linkFrom(msg(RTM.NEWLINK, '00000100 04000000 02100000 00000000   BROADCAST|MULTICAST only'), 'test');
  t.match(down, { adminUp: false, lowerUp: false, running: false, operstate: 'unknown', mac: null });
});

t.test('RTM_NEWNEIGH: an ARP entry; bridge fdb entries are not neighbours', async (t) => {
  const n = neighbourFrom(msg(RTM.NEWNEIGH, `
    02000000 03000000 04000001   AF_INET, index 3, state STALE, flags 0, type 1
    08000100 c000020a            NDA_DST
    0a000200 020000aa bbcc0000   NDA_LLADDR
  `), 'test');
  t.same(n, { ifindex: 3, dst: { af: 4, text: '192.0.2.10' }, lladdr: '02:00:00:aa:bb:cc', state: 'STALE' });
  t.equal(neighbourFrom(msg(RTM.NEWNEIGH, '07000000 03000000 80000000'), 'test'), null, 'AF_BRIDGE');
});

t.test('malformed replies are NetlinkFormatErrors that say where', async (t) => {
  t.throws(() => addressFrom(msg(RTM.NEWADDR, '0218 0000'), 'address event'), NetlinkFormatError);
  t.throws(() => addressFrom(msg(RTM.NEWADDR, '0218 0000'), 'address event'), { message: /address event: ifaddrmsg: 4-byte payload, the header alone is 8/ });
  t.throws(() => addressFrom(msg(RTM.NEWADDR, '0218 0000 05000000 07000200 c00002   IFA_LOCAL of 3 bytes'), 'e'), { message: /IFA_LOCAL: 3-byte address for IPv4/ });
  t.throws(() => addressFrom(msg(RTM.NEWADDR, '0718 0000 05000000'), 'e'), { message: /address family 7/ });
  t.throws(() => addressFrom(msg(RTM.NEWADDR, '0218 0000 05000000'), 'e'), { message: /without IFA_LOCAL or IFA_ADDRESS/ });
  t.throws(() => linkFrom(msg(RTM.NEWLINK, '00000100 04000000 43100100 00000000 ff000300'), 'link event'), { message: /link event: ifinfomsg: attribute type 3 claims 255 bytes/ });
});
