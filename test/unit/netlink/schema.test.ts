import t from 'tap';
import { ByteWriter } from '../../../src/netlink/bytes.js';
import { NLA_F_NESTED, parseAttrs } from '../../../src/netlink/attrs.js';
import { NetlinkEncodeError, NetlinkFormatError } from '../../../src/netlink/errors.js';
import { decodeAttrs, encodeAttrs, type AttrTable } from '../../../src/netlink/schema.js';
import { hex } from './fixtures/hex.js';

// A table exercising every wire type; ids deliberately out of declaration order.
const inner = {
  name: [1, 'string', 'T_INNER_NAME'],
  id: [2, 'u32', 'T_INNER_ID'],
} as const satisfies AttrTable;

const table = {
  port: [4, 'be16', 'T_PORT'],
  small: [1, 'u8', 'T_SMALL'],
  half: [2, 'u16', 'T_HALF'],
  word: [3, 'u32', 'T_WORD'],
  big: [5, 'u64', 'T_BIG'],
  mask: [6, 'be32', 'T_MASK'],
  text: [7, 'string', 'T_TEXT'],
  blob: [8, 'binary', 'T_BLOB'],
  flags: [9, 'flags32', 'T_FLAGS'],
  pad: [10, 'pad', 'T_PAD'],
  nest: [11, 'nest', 'T_NEST', inner],
  list: [12, 'array', 'T_LIST', inner],
} as const satisfies AttrTable;

function encode(v: Parameters<typeof encodeAttrs<typeof table>>[2]): Buffer {
  const w = new ByteWriter(8); // small on purpose: growth is part of what is tested
  encodeAttrs(w, table, v);
  return w.finish();
}

t.test('every wire type, in id order, aligned to 4 bytes', async (t) => {
  const bytes = encode({
    port: 80, small: 7, half: 0x1234, word: 0xdeadbeef, big: 0x0102030405060708n, mask: 0xffffff00,
    text: 'wlc', blob: Buffer.from([1, 2, 3]), flags: { flags: 0x19, mask: 0xffffffff },
    nest: { name: 'a', id: 9 }, list: [{ id: 1 }, { id: 2 }],
  });
  t.same(bytes, hex(`
    05000100 07000000            small u8 + 3 pad
    06000200 34120000            half u16 host order
    08000300 efbeadde            word u32 host order
    06000400 00500000            port be16: 80 = 00 50
    0c000500 08070605 04030201   big u64 host order
    08000600 ffffff00            mask be32
    08000700 776c6300            text "wlc\\0"
    07000800 01020300            blob 3 bytes + pad
    0c000900 19000000 ffffffff   flags32 {flags, mask}
    14000b80                     nest, NLA_F_NESTED
      06000100 61000000          name "a\\0"
      08000200 09000000          id 9
    1c000c80                     array, NLA_F_NESTED
      0c000180 08000200 01000000 entry 1
      0c000280 08000200 02000000 entry 2
  `));
  t.same(decodeAttrs(table, bytes, 'T'), {
    small: 7, half: 0x1234, word: 0xdeadbeef, port: 80, big: 0x0102030405060708n, mask: 0xffffff00, text: 'wlc',
    blob: Buffer.from([1, 2, 3]), flags: { flags: 0x19, mask: 0xffffffff }, nest: { name: 'a', id: 9 }, list: [{ id: 1 }, { id: 2 }],
  });
});

t.test('unknown attributes survive decode and encode, flags bits and all', async (t) => {
  const wire = hex(`
    08000300 01000000            word 1
    08006300 aabbccdd            type 99: unknown
    0c0064c0 01020304 05060708   type 100 | NLA_F_NET_BYTEORDER | NLA_F_NESTED: unknown
    14000b00                     nest without NLA_F_NESTED (as the kernel sends)
      08000200 05000000
      05003000 ee000000          type 48 inside the nest: unknown
  `);
  const v = decodeAttrs(table, wire, 'T');
  t.equal(v.$unknown?.length, 2);
  t.same(v.$unknown?.map((a) => a.type), [99, 100 | 0xc000]);
  t.same(v.nest?.$unknown?.map((a) => [a.type, [...a.data]]), [[48, [0xee]]]);
  const again = encode(v);
  t.same(decodeAttrs(table, again, 'T'), v, 'decode(encode(decode(x))) = decode(x)');
  t.ok(again.includes(hex('08006300 aabbccdd')), 'the unknown attribute is written back byte for byte');
  t.ok(again.includes(hex('0c0064c0 01020304 05060708')));
});

t.test('pad attributes are skipped, u64 accepts the 4-byte form, last duplicate wins', async (t) => {
  const v = decodeAttrs(table, hex('04000a00 08000500 2a000000 08000300 01000000 08000300 02000000'), 'T');
  t.same(v, { big: 42n, word: 2 });
});

t.test('strings: NUL ends them; a missing NUL is tolerated', async (t) => {
  t.same(decodeAttrs(table, hex('07000700 72720000'), 'T'), { text: 'rr' });
  t.same(decodeAttrs(table, hex('06000700 72720000'), 'T'), { text: 'rr' });
});

t.test('malformed input is a NetlinkFormatError naming the attribute', async (t) => {
  const bad: [string, string, RegExp][] = [
    ['truncated header', '0800', /stray byte/],
    ['length past the end', '10000300 01000000', /claims 16 bytes, 8 left/],
    ['length below header', '02000300', /claims 2 bytes/],
    ['u32 of 2 bytes', '06000300 01000000', /T\.T_WORD: expected 4 bytes, got 2/],
    ['be16 of 4 bytes', '08000400 00500000', /T\.T_PORT: expected 2 bytes, got 4/],
    ['u64 of 6 bytes', '0a000500 01020304 05060000', /T_BIG: expected 8 or 4 bytes, got 6/],
    ['flags32 too short', '08000900 01000000', /T_FLAGS: expected 8 bytes/],
    ['bad nest content', '0c000b00 08000200 0100', /T\.T_NEST: expected 4 bytes, got 2|claims/],
  ];
  for (const [what, h, re] of bad) {
    t.throws(() => decodeAttrs(table, hex(h), 'T'), re, what);
    try {
      decodeAttrs(table, hex(h), 'T');
    } catch (e) {
      t.type(e, NetlinkFormatError, `${what} is a NetlinkFormatError`);
    }
  }
});

t.test('values that do not fit are refused before anything is sent', async (t) => {
  t.throws(() => encode({ half: 70000 }), NetlinkEncodeError);
  t.throws(() => encode({ port: -1 }), /T_PORT: -1 is not an integer in 0\.\.65535/);
  t.throws(() => encode({ word: 1.5 }), NetlinkEncodeError);
  t.throws(() => encode({ text: 'a\0b' }), /without NUL/);
  t.throws(() => encode({ big: -1n }), /not a u64/);
});

t.test('parseAttrs keeps flag bits; NLA_F_NESTED is ignored when matching ids', async (t) => {
  const attrs = parseAttrs(hex('08000b80 04000200'), 'X');
  t.equal(attrs[0]!.type, 11 | NLA_F_NESTED);
  t.same(decodeAttrs(table, hex('0c000b80 08000200 05000000'), 'T'), { nest: { id: 5 } });
});

t.test('a skip attribute is read past: not decoded, not kept as unknown, never written', async (t) => {
  const full = { word: [3, 'u32', 'T_WORD'], nested: [7, 'nest', 'T_NESTED', inner] } as const satisfies AttrTable;
  const lean = { word: [3, 'u32', 'T_WORD'], nested: [7, 'skip', 'T_NESTED'] } as const satisfies AttrTable;
  const w = new ByteWriter();
  encodeAttrs(w, full, { word: 9, nested: { name: 'x', id: 1 } });
  const bytes = w.finish();
  t.same(decodeAttrs(lean, bytes, 'lean'), { word: 9 });
  t.same(decodeAttrs(full, bytes, 'full'), { word: 9, nested: { name: 'x', id: 1 } }, 'the full table still reads it');
  const out = new ByteWriter();
  encodeAttrs(out, lean, { word: 9 });
  t.same(decodeAttrs(full, out.finish(), 'back'), { word: 9 });
});
