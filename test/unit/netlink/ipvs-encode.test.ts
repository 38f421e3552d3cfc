import t from 'tap';
import type { TableOp } from '../../../src/model/ops.js';
import { NetlinkEncodeError } from '../../../src/netlink/errors.js';
import { opRequest } from '../../../src/netlink/ipvs/ops.js';
import { encodeIpvs } from '../../../src/netlink/ipvs/codec.js';
import { payloadBytes } from '../../../src/netlink/framing.js';
import { destSpec, ip, serviceSpec, svcId } from '../../../src/testing/specs.js';
import { hex } from './fixtures/hex.js';

// Golden bytes for every IPVS request lvsd sends, worked out by hand from include/uapi/linux/ip_vs.h and the
// parsing in net/netfilter/ipvs/ip_vs_ctl.c (x86: host order is little-endian). Attributes go out in id order;
// nests carry NLA_F_NESTED (0x8000), which IPVS's non-strict parser accepts and strict families require.

const FAMILY = 0x23;
const payload = (op: TableOp): Buffer => payloadBytes(opRequest(FAMILY, op).payload);

const SVC_V4_ID = `
      06000100 02000000                            AF AF_INET
      06000200 06000000                            PROTOCOL tcp
      14000300 c000020a 00000000 00000000 00000000 ADDR 192.0.2.10, 16 bytes like libipvs
      06000400 00500000                            PORT 80, network order`;

t.test('NEW_SERVICE tcp 192.0.2.10:80 wlc', async (t) => {
  const req = opRequest(FAMILY, { op: 'add-service', spec: serviceSpec(svcId('192.0.2.10:80')) });
  t.same(payloadBytes(req.payload), hex(`
    01010000                                       genlmsghdr NEW_SERVICE v1
    54000180                                       CMD_ATTR_SERVICE, 84 bytes
${SVC_V4_ID}
      08000600 776c6300                            SCHED_NAME "wlc"
      0c000700 00000000 ffffffff                   FLAGS none, mask ~0
      08000800 00000000                            TIMEOUT 0
      08000900 ffffffff                            NETMASK 255.255.255.255 (be32)
  `));
  t.equal(req.type, FAMILY);
  t.notOk(req.dump);
  t.notOk(req.data);
  t.match(typeof req.what === 'function' ? req.what() : req.what, /add service tcp:192\.0\.2\.10:80/);
});

t.test('SET_SERVICE fwmark v6: persistence, sh flags, pe, /64 prefix in host order', async (t) => {
  const spec = serviceSpec({ kind: 'fwmark', fwmark: 0x1234, af: 6 }, {
    scheduler: 'sh', persistence: 300, netmask: 64, pe: 'sip', flags: { fallback: true, port: true, flag3: false },
  });
  t.same(payload({ op: 'edit-service', spec }), hex(`
    02010000                                       SET_SERVICE
    40000180
      06000100 0a000000                            AF AF_INET6
      08000500 34120000                            FWMARK 0x1234
      07000600 73680000                            SCHED_NAME "sh"
      0c000700 19000000 ffffffff                   FLAGS PERSISTENT|SCHED1|SCHED2
      08000800 2c010000                            TIMEOUT 300
      08000900 40000000                            NETMASK prefix 64, host order (not be32)
      08000b00 73697000                            PE_NAME "sip"
  `));
});

t.test('NEW_SERVICE udp one-packet, v4 /24 persistence mask, IPv6 address', async (t) => {
  t.same(payload({ op: 'add-service', spec: serviceSpec(svcId('10.1.0.1:53', 'udp'), { ops: true, persistence: 60, netmask: 0xffffff00, scheduler: 'rr' }) }), hex(`
    01010000
    54000180
      06000100 02000000
      06000200 11000000                            PROTOCOL udp (17)
      14000300 0a010001 00000000 00000000 00000000
      06000400 00350000                            PORT 53
      07000600 72720000                            "rr"
      0c000700 05000000 ffffffff                   PERSISTENT|ONEPACKET
      08000800 3c000000
      08000900 ffffff00                            255.255.255.0
  `));
  t.same(payload({ op: 'del-service', id: svcId('[2001:db8::1]:443', 'sctp') }), hex(`
    03010000                                       DEL_SERVICE: identity only
    30000180
      06000100 0a000000
      06000200 84000000                            PROTOCOL sctp (132)
      14000300 20010db8 00000000 00000000 00000001
      06000400 01bb0000                            443
  `));
});

t.test('NEW_DEST masq, SET_DEST, DEL_DEST', async (t) => {
  const service = svcId('192.0.2.10:80');
  const dest = `
    48000280                                       CMD_ATTR_DEST, 72 bytes
      14000100 0a000001 00000000 00000000 00000000 ADDR 10.0.0.1
      06000200 1f900000                            PORT 8080
      08000300 00000000                            FWD_METHOD masq
      08000400 01000000                            WEIGHT 1
      08000500 00000000                            U_THRESH
      08000600 00000000                            L_THRESH
      06000b00 02000000                            ADDR_FAMILY AF_INET`;
  const svc = `
    30000180
${SVC_V4_ID}`;
  t.same(payload({ op: 'add-dest', service, dest: destSpec('10.0.0.1:8080') }), hex(`05010000 ${svc}\n${dest}`));
  t.same(payload({ op: 'edit-dest', service, dest: destSpec('10.0.0.1:8080') }), hex(`06010000 ${svc}\n${dest}`));
  t.same(payload({ op: 'del-dest', service, addr: ip('10.0.0.1'), port: 8080 }), hex(`
    07010000 ${svc}
    28000280
      14000100 0a000001 00000000 00000000 00000000
      06000200 1f900000
      06000b00 02000000
  `));
});

t.test('tunnel dests: TUN_TYPE always, TUN_PORT for GUE, TUN_FLAGS unless IPIP', async (t) => {
  const service = svcId('192.0.2.10:80');
  const gue = payload({ op: 'add-dest', service, dest: destSpec('10.0.0.2:80', { fwd: 'tunnel', tunType: 'gue', tunPort: 6080, tunFlags: 1, weight: 5, uThreshold: 100, lThreshold: 10 }) });
  t.same(gue.subarray(4 + 0x30), hex(`
    60000280
      14000100 0a000002 00000000 00000000 00000000
      06000200 00500000
      08000300 02000000                            FWD_METHOD tunnel
      08000400 05000000
      08000500 64000000                            U_THRESH 100
      08000600 0a000000                            L_THRESH 10
      06000b00 02000000
      05000d00 01000000                            TUN_TYPE gue (u8)
      06000e00 17c00000                            TUN_PORT 6080, network order
      06000f00 01000000                            TUN_FLAGS csum (u16 host order)
  `));
  const ipip = payload({ op: 'add-dest', service, dest: destSpec('10.0.0.2:80', { fwd: 'tunnel', tunPort: 6080, tunFlags: 1 }) });
  t.ok(ipip.includes(hex('05000d00 00000000')), 'TUN_TYPE ipip');
  t.notOk(ipip.includes(hex('06000e00')), 'no TUN_PORT');
  t.notOk(ipip.includes(hex('06000f00')), 'no TUN_FLAGS');
  const route = payload({ op: 'add-dest', service, dest: destSpec('10.0.0.2:80', { fwd: 'route' }) });
  t.ok(route.includes(hex('08000300 03000000')), 'FWD_METHOD droute = 3');
  t.notOk(route.includes(hex('05000d00')), 'no tunnel attributes');
  const local = payload({ op: 'add-dest', service, dest: destSpec('10.0.0.2:80', { fwd: 'local' }) });
  t.ok(local.includes(hex('08000300 01000000')), 'FWD_METHOD localnode = 1');
});

t.test('sync daemons: NEW_DAEMON with IPv4 and IPv6 groups, DEL_DAEMON', async (t) => {
  t.same(payload({ op: 'start-daemon', daemon: { state: 'master', mcastIfn: 'eth0', syncId: 7, maxLen: 1472, group: '224.0.0.81', port: 8848, ttl: 1 } }), hex(`
    09010000                                       NEW_DAEMON
    40000380
      08000100 01000000                            STATE master
      09000200 65746830 00000000                   MCAST_IFN "eth0"
      08000300 07000000                            SYNC_ID 7
      06000400 c0050000                            SYNC_MAXLEN 1472
      08000500 e0000051                            MCAST_GROUP 224.0.0.81, in_addr
      06000700 90220000                            MCAST_PORT 8848, HOST order
      05000800 01000000                            MCAST_TTL 1
  `));
  t.same(payload({ op: 'start-daemon', daemon: { state: 'backup', mcastIfn: 'eth1', syncId: 0, group: 'ff02::51' } }), hex(`
    09010000
    34000380
      08000100 02000000
      09000200 65746831 00000000
      08000300 00000000
      14000600 ff020000 00000000 00000000 00000051 MCAST_GROUP6
  `));
  t.same(payload({ op: 'stop-daemon', state: 'backup' }), hex('0a010000 0c000380 08000100 02000000'));
  t.throws(() => payload({ op: 'start-daemon', daemon: { state: 'master', mcastIfn: 'eth0', syncId: 1, group: 'nope' } }), NetlinkEncodeError);
});

t.test('config, info, zero, flush, and the listing requests', async (t) => {
  t.same(payload({ op: 'set-timeouts', timeouts: { tcp: 900, tcpFin: 120, udp: 300 } }), hex(`
    0c010000                                       SET_CONFIG
    08000400 84030000                              TIMEOUT_TCP 900
    08000500 78000000                              TIMEOUT_TCP_FIN 120
    08000600 2c010000                              TIMEOUT_UDP 300
  `));
  t.same(payload({ op: 'flush' }), hex('11010000'));
  t.same(payload({ op: 'zero' }), hex('10010000'));
  t.same(payload({ op: 'zero', service: { kind: 'fwmark', fwmark: 1, af: 4 } }), hex('10010000 14000180 06000100 02000000 08000500 01000000'));
  t.same(encodeIpvs('GET_INFO', {}), hex('0f010000'));
  t.same(encodeIpvs('GET_CONFIG', {}), hex('0d010000'));
  t.same(encodeIpvs('GET_DAEMON', {}), hex('0b010000'));
  t.same(encodeIpvs('GET_SERVICE', {}), hex('04010000'));
  t.same(encodeIpvs('GET_DEST', { service: { af: 2, fwmark: 9 } }), hex('08010000 14000180 06000100 02000000 08000500 09000000'));
});

t.test('out-of-range model values are refused, not truncated', async (t) => {
  t.throws(() => payload({ op: 'add-dest', service: svcId('1.2.3.4:80'), dest: destSpec('10.0.0.1:70000') }), /IPVS_DEST_ATTR_PORT: 70000/);
  t.throws(() => payload({ op: 'add-service', spec: serviceSpec(svcId('1.2.3.4:80'), { scheduler: 'a\0b' }) }), /IPVS_SVC_ATTR_SCHED_NAME/);
});
