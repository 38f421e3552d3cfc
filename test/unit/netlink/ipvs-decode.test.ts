import t from 'tap';
import { ByteWriter } from '../../../src/netlink/bytes.js';
import { NetlinkFormatError } from '../../../src/netlink/errors.js';
import { parseDatagram, writeMessage, type NlMessage } from '../../../src/netlink/framing.js';
import { decodeIpvs, encodeIpvs } from '../../../src/netlink/ipvs/codec.js';
import { daemonFromAttrs, destFromAttrs, serviceFromAttrs, statsFromAttrs } from '../../../src/netlink/ipvs/map.js';
import { hex } from './fixtures/hex.js';

// Replies laid out as the kernel writes them (net/netfilter/ipvs/ip_vs_ctl.c ip_vs_genl_fill_*): nests without
// NLA_F_NESTED (nla_nest_start_noflag), 16-byte addresses, PAD attributes before u64s in STATS64.

function msg(payload: Buffer): NlMessage {
  const w = new ByteWriter();
  writeMessage(w, 0x23, 2, 1, payload);
  return parseDatagram(w.finish())[0]!;
}

const SERVICE_REPLY = hex(`
  01010000                                       NEW_SERVICE (the dump's command)
  30010100                                       CMD_ATTR_SERVICE, 304 bytes, no NLA_F_NESTED
    06000100 02000000                            AF
    06000200 06000000                            PROTOCOL tcp
    14000300 c000020a 00000000 00000000 00000000 ADDR
    06000400 00500000                            PORT 80
    07000600 72720000                            SCHED_NAME rr
    0c000700 03000000 ffffffff                   FLAGS PERSISTENT|HASHED
    08000800 2c010000                            TIMEOUT 300
    08000900 ffffff00                            NETMASK /24
    5c000a00                                     STATS (legacy)
      08000100 05000000 08000200 64000000 08000300 c8000000
      0c000400 e8030000 00000000 0c000500 d0070000 00000000
      08000600 01000000 08000700 02000000 08000800 03000000 08000900 04000000 08000a00 05000000
    80000c00                                     STATS64
      04000b00                                   PAD
      0c000100 05000000 00000000
      0c000200 64000000 01000000                 inpkts 2^32 + 100: only STATS64 has it right
      0c000300 c8000000 00000000
      0c000400 e8030000 00000000
      0c000500 d0070000 00000000
      0c000600 01000000 00000000
      0c000700 02000000 00000000
      0c000800 03000000 00000000
      0c000900 04000000 00000000
      0c000a00 05000000 00000000
`);

t.test('a kernel service reply becomes the model, counters from STATS64', async (t) => {
  const a = decodeIpvs(msg(SERVICE_REPLY), 'NEW_SERVICE').service!;
  t.same(serviceFromAttrs(a), {
    id: { kind: 'addr', protocol: 'tcp', addr: { af: 4, text: '192.0.2.10' }, port: 80 },
    scheduler: 'rr',
    flags: { fallback: false, port: false, flag3: false },
    persistence: 300,
    netmask: 0xffffff00,
    ops: false,
    pe: '',
  });
  t.same(statsFromAttrs(a), {
    stats: { conns: 5, inPkts: 2 ** 32 + 100, outPkts: 200, inBytes: 1000, outBytes: 2000 },
    rates: { cps: 1, inPps: 2, outPps: 3, inBps: 4, outBps: 5 },
  });
  t.same(statsFromAttrs({ stats: a.stats! }).stats.inPkts, 100, 'legacy STATS when STATS64 is absent');
  t.equal(a.$unknown, undefined, 'nothing unknown in a current reply');
});

t.test('fwmark v6 service; IPv6 netmask is a host-order prefix; moby-style 4-byte v4 address', async (t) => {
  const fw = decodeIpvs(msg(hex(`
    01010000 40000100
      06000100 0a000000 08000500 2a000000 07000600 73680000
      0c000700 1c000000 ffffffff                 HASHED|ONEPACKET|SCHED1|SCHED2
      08000800 00000000 08000900 40000000 08000b00 73697000
  `)), 'NEW_SERVICE').service!;
  t.same(serviceFromAttrs(fw), {
    id: { kind: 'fwmark', fwmark: 42, af: 6 }, scheduler: 'sh', flags: { fallback: true, port: true, flag3: false },
    persistence: 0, netmask: 64, ops: true, pe: 'sip',
  });
  const short = decodeIpvs(msg(hex('01010000 24000100 06000100 02000000 06000200 11000000 08000300 0a000001 06000400 00350000')), 'NEW_SERVICE').service!;
  t.same(serviceFromAttrs(short).id, { kind: 'addr', protocol: 'udp', addr: { af: 4, text: '10.0.0.1' }, port: 53 });
});

t.test('a mixed-family tunnel dest: ADDR_FAMILY wins over the service family', async (t) => {
  const a = decodeIpvs(msg(hex(`
    05010000 78000200
      14000100 20010db8 00000000 00000000 00000002
      06000200 00500000 08000300 02000000 08000400 0a000000 08000500 00000000 08000600 00000000
      08000700 03000000 08000800 04000000 08000900 01000000
      06000b00 0a000000
      05000d00 01000000 06000e00 17c00000 06000f00 02000000
  `)), 'NEW_DEST').dest!;
  t.same(destFromAttrs(a, 4), {
    spec: {
      addr: { af: 6, text: '2001:db8::2' }, port: 80, weight: 10, fwd: 'tunnel', tunType: 'gue', tunPort: 6080, tunFlags: 2,
      uThreshold: 0, lThreshold: 0,
    },
    activeConns: 3, inactConns: 4, persistConns: 1,
  });
  const old = decodeIpvs(msg(hex('05010000 28000200 14000100 0a000001 00000000 00000000 00000000 06000200 00500000 08000300 03000000')), 'NEW_DEST').dest!;
  t.same(destFromAttrs(old, 4).spec.addr, { af: 4, text: '10.0.0.1' }, 'no ADDR_FAMILY (pre-3.18): the service family');
  t.equal(destFromAttrs(old, 4).spec.fwd, 'route');
});

t.test('daemon, info and config replies', async (t) => {
  const d = decodeIpvs(msg(hex(`
    09010000 40000300
      08000100 02000000 09000200 65746830 00000000 08000300 09000000 06000400 dc050000
      08000500 e0000051 06000700 90220000 05000800 01000000
  `)), 'NEW_DAEMON').daemon!;
  t.same(daemonFromAttrs(d), { state: 'backup', mcastIfn: 'eth0', syncId: 9, maxLen: 1500, group: '224.0.0.81', port: 8848, ttl: 1 });
  t.same(decodeIpvs(msg(hex('0e010000 08000100 01020100 08000200 00100000')), 'SET_INFO'), { version: 0x010201, connTabSize: 4096 });
  t.same(decodeIpvs(msg(hex('0c010000 08000400 84030000 08000500 78000000 08000600 2c010000')), 'SET_CONFIG'),
    { timeoutTcp: 900, timeoutTcpFin: 120, timeoutUdp: 300 });
});

t.test('unknown attributes from a newer kernel survive decode -> encode -> decode', async (t) => {
  const newer = hex(`
    01010000
    2c000100
      06000100 02000000 08000500 07000000 07000600 72720000
      08001000 aabbccdd                          IPVS_SVC_ATTR 16: not in this lvsd
      08000d00 01000000                          IPVS_SVC_ATTR 13: not in this lvsd
    08000900 11223344                            IPVS_CMD_ATTR 9: not in this lvsd
  `);
  const first = decodeIpvs(msg(newer), 'NEW_SERVICE');
  t.same(first.$unknown?.map((a) => a.type), [9]);
  t.same(first.service?.$unknown?.map((a) => a.type), [16, 13]);
  const bytes = encodeIpvs('NEW_SERVICE', first);
  t.same(decodeIpvs(msg(bytes), 'NEW_SERVICE'), first);
  t.ok(bytes.includes(hex('08001000 aabbccdd')) && bytes.includes(hex('08000900 11223344')), 'written back unchanged');
  t.same(serviceFromAttrs(first.service!).id, { kind: 'fwmark', fwmark: 7, af: 4 }, 'and the model still reads it');
});

t.test('bad replies fail with a NetlinkFormatError that says what is wrong', async (t) => {
  const cases: [string, () => unknown, RegExp][] = [
    ['no genl header', () => decodeIpvs(msg(hex('0101')), 'NEW_SERVICE'), /no genl header/],
    ['wrong command', () => decodeIpvs(msg(SERVICE_REPLY), 'NEW_DEST'), /expected IPVS NEW_DEST \(cmd 5\), got cmd 1/],
    ['nest overruns', () => decodeIpvs(msg(SERVICE_REPLY.subarray(0, 100)), 'NEW_SERVICE'), /claims 304 bytes/],
    ['port of 4 bytes', () => decodeIpvs(msg(hex('01010000 0c000100 08000400 00500000')), 'NEW_SERVICE'),
      /IPVS_CMD_ATTR_SERVICE\.IPVS_SVC_ATTR_PORT: expected 2 bytes, got 4/],
    ['no AF', () => serviceFromAttrs({ protocol: 6 }), /lacks IPVS_SVC_ATTR_AF/],
    ['AF 7', () => serviceFromAttrs({ af: 7 }), /address family 7/],
    ['protocol 50', () => serviceFromAttrs({ af: 2, protocol: 50, addr: Buffer.alloc(16), port: 1 }), /protocol 50/],
    ['v6 address of 4 bytes', () => serviceFromAttrs({ af: 10, protocol: 6, addr: Buffer.alloc(4), port: 1 }), /4-byte address for IPv6/],
    ['bypass forwarding', () => destFromAttrs({ addr: Buffer.alloc(16), port: 1, fwdMethod: 4 }, 4), /forwarding method 4/],
    ['daemon state 0', () => daemonFromAttrs({ state: 0 }), /state 0/],
  ];
  for (const [what, f, re] of cases) {
    t.throws(f, re, what);
    t.throws(f, NetlinkFormatError, `${what}: NetlinkFormatError`);
  }
});
