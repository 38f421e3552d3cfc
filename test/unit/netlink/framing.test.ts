import t from 'tap';
import { ByteWriter } from '../../../src/netlink/bytes.js';
import { NetlinkError, NetlinkFormatError, errnoName, errnoNumber } from '../../../src/netlink/errors.js';
import {
  NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_REQUEST, parseDatagram, parseDone, parseError, writeMessage,
} from '../../../src/netlink/framing.js';
import { CTRL_CMD_GETFAMILY, ctrlAttrs, decodeGenl, encodeGenl } from '../../../src/netlink/genl.js';
import { hex } from './fixtures/hex.js';

t.test('nlmsghdr: length, type, flags, seq, pid 0, payload padded', async (t) => {
  const w = new ByteWriter();
  writeMessage(w, 0x10, NLM_F_REQUEST | NLM_F_ACK, 7, Buffer.from([1, 2, 3, 4, 5]));
  t.same(w.finish(), hex(`
    15000000 1000 0500   len 21, type 0x10, REQUEST|ACK
    07000000 00000000    seq 7, pid 0
    01020304 05000000    payload, 3 bytes alignment
  `));
});

t.test('a datagram carries many messages; each is split at its aligned length', async (t) => {
  const d = hex(`
    14000000 1000 0200 01000000 39050000 aabbccdd
    11000000 0300 0200 02000000 39050000 ee000000
  `);
  const msgs = parseDatagram(d);
  t.same(msgs.map((m) => [m.type, m.flags, m.seq, m.pid, [...m.payload]]), [
    [0x10, 2, 1, 1337, [0xaa, 0xbb, 0xcc, 0xdd]],
    [NLMSG_DONE, 2, 2, 1337, [0xee]],
  ]);
});

t.test('truncated and overlong datagrams are clear NetlinkFormatErrors', async (t) => {
  t.throws(() => parseDatagram(hex('14000000 1000 0200')), /8-byte partial header/);
  t.throws(() => parseDatagram(hex('40000000 1000 0200 01000000 39050000')), /claims 64 bytes, 16 left/);
  t.throws(() => parseDatagram(hex('08000000 1000 0200 01000000 39050000')), /claims 8 bytes/);
  t.throws(() => parseDatagram(hex('08000000 1000 0200 01000000 39050000')), NetlinkFormatError);
});

t.test('NLMSG_ERROR: ack, capped error with extended ack, uncapped error echoing the request', async (t) => {
  const [ack] = parseDatagram(hex('24000000 0200 0001 05000000 39050000 00000000 14000000 2300 0500 05000000 00000000'));
  t.same(parseError(ack!), { error: 0 });
  // CAPPED | ACK_TLVS: error -EEXIST, the request header, then NLMSGERR_ATTR_MSG "dup\0" and NLMSGERR_ATTR_OFFS 20
  const [err] = parseDatagram(hex(`
    34000000 0200 0003 05000000 39050000
    efffffff 14000000 2300 0500 05000000 00000000
    08000100 64757000 08000200 14000000
  `));
  t.same(parseError(err!), { error: -17, extack: 'dup', extackOffset: 20 });
  // not capped: the whole request (len 0x18) is echoed before the TLVs
  const [echo] = parseDatagram(hex(`
    3c000000 0200 0002 05000000 39050000
    eaffffff 18000000 2300 0500 05000000 00000000 01010000 00000000
    0d000100 62616420 61747472 00000000
  `));
  t.same(parseError(echo!), { error: -22, extack: 'bad attr' });
  const [short] = parseDatagram(hex('14000000 0200 0000 05000000 39050000 00000000'));
  t.throws(() => parseError(short!), /NLMSG_ERROR of 4 bytes/);
});

t.test('NLMSG_DONE: status, absent status, extended ack', async (t) => {
  const [ok] = parseDatagram(hex('14000000 0300 0200 05000000 39050000 00000000'));
  t.same(parseDone(ok!), { error: 0 });
  const [bare] = parseDatagram(hex('10000000 0300 0200 05000000 39050000'));
  t.same(parseDone(bare!), { error: 0 });
  const [bad] = parseDatagram(hex('1c000000 0300 0202 05000000 39050000 f0ffffff 07000100 62757a00'));
  t.same(parseDone(bad!), { error: -16, extack: 'buz' });
  t.equal(NLMSG_ERROR, 2);
});

t.test('nlctrl CTRL_CMD_GETFAMILY "IPVS": golden bytes and the reply decoded', async (t) => {
  t.same(encodeGenl(CTRL_CMD_GETFAMILY, 1, ctrlAttrs, { familyName: 'IPVS' }), hex(`
    03010000                    genlmsghdr: cmd GETFAMILY, version 1
    09000200 49505653 00000000  CTRL_ATTR_FAMILY_NAME "IPVS\\0"
  `));
  // The start of what ctrl_fill_info sends: genl header (NEWFAMILY, version 2), id, name
  const [m] = parseDatagram(hex(`
    28000000 1000 0000 01000000 39050000
    01020000
    06000100 10000000            CTRL_ATTR_FAMILY_ID 0x10
    0b000200 6e6c6374 726c0000   CTRL_ATTR_FAMILY_NAME "nlctrl\\0"
  `));
  t.same(decodeGenl(m!, ctrlAttrs, 'nlctrl'), { cmd: 1, version: 2, attrs: { familyId: 0x10, familyName: 'nlctrl' } });
});

t.test('nlctrl op and multicast group lists decode as arrays', async (t) => {
  const payload = Buffer.concat([hex('01020000'), hex(`
    2c000600                                       CTRL_ATTR_OPS
      14000100 08000100 03000000 08000200 0e000000 [1] id 3 flags 14
      14000200 08000100 0a000000 08000200 0c000000 [2] id 10 flags 12
    1c000700                                       CTRL_ATTR_MCAST_GROUPS
      18000100 08000200 10000000 0b000100 6e6f7469 66790000 [1] id 16 "notify\\0"
  `)]);
  const w = new ByteWriter();
  writeMessage(w, 0x10, 0, 1, payload);
  const [m] = parseDatagram(w.finish());
  t.same(decodeGenl(m!, ctrlAttrs, 'nlctrl').attrs, {
    ops: [{ id: 3, flags: 14 }, { id: 10, flags: 12 }],
    mcastGroups: [{ id: 16, name: 'notify' }],
  });
});

t.test('errno names are the kernel names, numbers round-trip', async (t) => {
  t.equal(errnoName(17), 'EEXIST');
  t.equal(errnoName(3), 'ESRCH');
  t.equal(errnoName(105), 'ENOBUFS');
  t.equal(errnoName(95), 'EOPNOTSUPP', 'not ENOTSUP');
  t.equal(errnoName(11), 'EAGAIN', 'not EWOULDBLOCK');
  t.equal(errnoName(4000), 'E4000');
  t.equal(errnoNumber('ENOENT'), 2);
  const e = NetlinkError.fromKernel(-2, 'resolving X', 'no such family');
  t.equal(e.errno, 'ENOENT');
  t.equal(e.code, 'LVSD_E_NETLINK_ENOENT');
  t.equal(e.errnoNumber, 2);
  t.equal(e.message, 'resolving X: ENOENT (no such family)');
});
