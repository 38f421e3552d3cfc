import t from 'tap';
import { parseIp, type IpAddr } from '../../../src/model/address.js';
import { NetlinkEncodeError } from '../../../src/netlink/errors.js';
import { payloadBytes } from '../../../src/netlink/framing.js';
import { rtnlPayload } from '../../../src/netlink/rtnl/codec.js';
import { addressRequest, routeRequest, vipFlags, type AddressSpec } from '../../../src/netlink/rtnl/map.js';
import { IFA_F } from '../../../src/netlink/rtnl/spec.js';
import { hex } from './fixtures/hex.js';

// Golden bytes for the rtnetlink requests lvsd sends, worked out from include/uapi/linux/if_addr.h,
// rtnetlink.h and if_link.h and what iproute2 sends for the same command (`ip -d monitor` / strace of
// `ip addr add`): IFA_ADDRESS before IFA_LOCAL (id order), both carrying our address unless there is a peer.
// x86: host order is little-endian.

const ip = (s: string): IpAddr => parseIp(s)!;
const addr = (s: AddressSpec): Buffer => {
  const r = addressRequest(s, 'test');
  return payloadBytes(rtnlPayload('addr', r.header, r.attrs));
};

t.test('ip addr add 192.0.2.10/24 brd 192.0.2.255 label eth0:vip scope global dev 3', async (t) => {
  t.same(addr({ ifindex: 3, addr: ip('192.0.2.10'), prefix: 24, broadcast: ip('192.0.2.255'), label: 'eth0:vip' }), hex(`
    0218 0000 03000000        ifaddrmsg: AF_INET, /24, flags 0, scope 0 (global), index 3
    08000100 c000020a         IFA_ADDRESS 192.0.2.10
    08000200 c000020a         IFA_LOCAL 192.0.2.10
    0d000300 65746830 3a766970 00000000   IFA_LABEL "eth0:vip" (13 bytes, padded)
    08000400 c00002ff         IFA_BROADCAST 192.0.2.255
  `));
});

t.test('a point-to-point VIP: IFA_LOCAL ours, IFA_ADDRESS the peer; scope link', async (t) => {
  t.same(addr({ ifindex: 7, addr: ip('10.0.0.1'), prefix: 32, peer: ip('10.0.0.2'), scope: 253 }), hex(`
    0220 00fd 07000000        AF_INET, /32, flags 0, scope 253 (link), index 7
    08000100 0a000002         IFA_ADDRESS 10.0.0.2 (peer)
    08000200 0a000001         IFA_LOCAL 10.0.0.1
  `));
});

t.test('IPv6 nodad noprefixroute, preferred_lft 0: low flags in the header, all in IFA_FLAGS, cacheinfo', async (t) => {
  const flags = vipFlags({ home: false, nodad: true, mngtmpaddr: false, noprefixroute: true, autojoin: false });
  t.equal(flags, IFA_F.NODAD | IFA_F.NOPREFIXROUTE);
  t.same(addr({ ifindex: 2, addr: ip('2001:db8::10'), prefix: 64, flags, preferredLft: 0 }), hex(`
    0a40 0200 02000000                            AF_INET6, /64, ifa_flags NODAD, scope 0, index 2
    14000100 20010db8 00000000 00000000 00000010  IFA_ADDRESS 2001:db8::10
    14000200 20010db8 00000000 00000000 00000010  IFA_LOCAL
    14000600 00000000 ffffffff 00000000 00000000  IFA_CACHEINFO preferred 0 (deprecated), valid forever
    08000800 02020000                             IFA_FLAGS NODAD | NOPREFIXROUTE (0x202)
  `));
});

t.test('RTM_GETLINK by name, and a dump request', async (t) => {
  t.same(payloadBytes(rtnlPayload('link', {}, { ifname: 'eth0' })), hex(`
    00000000 00000000 00000000 00000000   ifinfomsg: all zero (index 0: by name)
    09000300 65746830 00000000            IFLA_IFNAME "eth0"
  `));
  t.same(payloadBytes(rtnlPayload('addr', { family: 10 }, {})), hex('0a000000 00000000   ifaddrmsg AF_INET6, nothing else'));
});

t.test('ip route add 198.51.100.0/24 via 192.0.2.1 dev 3 metric 10 table 1000', async (t) => {
  const r = routeRequest({ dst: ip('198.51.100.0'), prefix: 24, gateway: ip('192.0.2.1'), ifindex: 3, metric: 10, table: 1000 }, 'test', 'add');
  t.same(payloadBytes(rtnlPayload('route', r.header, r.attrs)), hex(`
    02180000 00030001 00000000   rtmsg: AF_INET /24, table 0 (in RTA_TABLE), boot, universe, unicast, flags 0
    08000100 c6336400            RTA_DST
    08000400 03000000            RTA_OIF 3
    08000500 c0000201            RTA_GATEWAY
    08000600 0a000000            RTA_PRIORITY 10
    08000f00 e8030000            RTA_TABLE 1000
  `));
  const d = routeRequest({ dst: ip('198.51.100.0'), prefix: 24 }, 'test', 'delete');
  t.same(payloadBytes(rtnlPayload('route', d.header, d.attrs)), hex(`
    02180000 fe00ff00 00000000   main table, any protocol, scope NOWHERE (matches any), type 0
    08000100 c6336400
  `));
});

t.test('requests that cannot be right are refused before they are sent, naming what is wrong', async (t) => {
  const v4 = ip('192.0.2.1');
  t.throws(() => addressRequest({ ifindex: 1, addr: v4, prefix: 33 }, 'adding x'), NetlinkEncodeError);
  t.throws(() => addressRequest({ ifindex: 1, addr: v4, prefix: 33 }, 'adding x'), { message: /adding x: prefix \/33 is not in 0\.\.32/ });
  t.throws(() => addressRequest({ ifindex: 1, addr: v4, prefix: 24, peer: ip('2001:db8::1') }, 'a'), { message: /peer 2001:db8::1 is not IPv4/ });
  t.throws(() => addressRequest({ ifindex: 1, addr: ip('2001:db8::1'), prefix: 64, broadcast: ip('2001:db8::ff') }, 'a'), { message: /IPv6 addresses have no broadcast/ });
  t.throws(() => addressRequest({ ifindex: 1, addr: v4, prefix: 24, preferredLft: -1 }, 'a'), { message: /preferred lifetime -1/ });
  t.throws(() => routeRequest({ dst: v4, prefix: 24, gateway: ip('::1') }, 'r', 'add'), { message: /gateway ::1 is not IPv4/ });
  t.throws(() => payloadBytes(rtnlPayload('addr', { index: -1 }, {})), { message: /ifaddrmsg\.index: -1 does not fit a u32/ });
});
