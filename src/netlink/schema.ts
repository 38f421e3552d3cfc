import { ByteWriter, readU16, readU32, readU64 } from './bytes.js';
import { NLA_F_NESTED, NLA_TYPE_MASK, endAttr, parseAttrs, putRawAttr, startAttr, type RawAttr } from './attrs.js';
import { NetlinkEncodeError, NetlinkFormatError } from './errors.js';

/**
 * Declarative attribute tables. A family declares each attribute once — `port: [4, 'be16', 'IPVS_SVC_ATTR_PORT']`
 * (id, wire type, kernel name) — and the encoder and decoder here are derived from the table, so there is no
 * per-attribute encode or parse code anywhere. Decoded objects keep attributes the table does not know in
 * `$unknown`, and encoding writes them back unchanged.
 *
 * Wire types: u8/u16/u32/u64 host order; be16/be32 network order (__be16/__be32 fields); string NUL-terminated;
 * binary raw bytes; flags32 a {u32 flags; u32 mask} pair (struct ip_vs_flags, like nla_bitfield32); pad an
 * alignment filler the kernel adds before u64s (nla_put_u64_64bit), skipped; skip an attribute a reader
 * does not want (a table made for that reader), neither decoded nor kept; nest a nested table; array a
 * nest whose children are numbered entries of one table (nlctrl's op and group lists).
 */
export type ScalarType = 'u8' | 'u16' | 'u32' | 'u64' | 'be16' | 'be32' | 'string' | 'binary' | 'flags32' | 'pad' | 'skip';

export type AttrDef =
  | readonly [id: number, type: ScalarType, kernelName: string]
  | readonly [id: number, type: 'nest' | 'array', kernelName: string, table: AttrTable];

export interface AttrTable {
  readonly [field: string]: AttrDef;
}

export interface Flags32 {
  readonly flags: number;
  readonly mask: number;
}

type ScalarValue<T> = T extends 'u8' | 'u16' | 'u32' | 'be16' | 'be32' ? number
  : T extends 'u64' ? bigint
  : T extends 'string' ? string
  : T extends 'binary' ? Buffer
  : T extends 'flags32' ? Flags32
  : never;

type FieldValue<D> = D extends readonly [number, 'nest', string, infer S extends AttrTable] ? Attrs<S>
  : D extends readonly [number, 'array', string, infer S extends AttrTable] ? Attrs<S>[]
  : D extends readonly [number, infer T, string] ? ScalarValue<T>
  : never;

type FieldNames<S extends AttrTable> = { [K in keyof S]: S[K] extends readonly [number, 'pad' | 'skip', string] ? never : K }[keyof S];

/** The decoded (and encodable) form of a table: every field optional, unknown attributes kept. */
export type Attrs<S extends AttrTable> = { -readonly [K in FieldNames<S>]?: FieldValue<S[K]> } & { $unknown?: RawAttr[] };

type Value = number | bigint | string | Buffer | Flags32 | Loose | Loose[];
interface Loose {
  $unknown?: RawAttr[];
  [field: string]: Value | RawAttr[] | undefined;
}

interface Compiled {
  readonly byId: ReadonlyMap<number, readonly [string, AttrDef]>;
  /** Field names and definitions in id order (the order requests are written in), as parallel arrays so the
   * encoder's loop stays simple for V8: a 100,000-op batch runs it once per attribute. */
  readonly names: readonly string[];
  readonly defs: readonly AttrDef[];
}

const compiled = new WeakMap<AttrTable, Compiled>();

function compile(table: AttrTable): Compiled {
  let c = compiled.get(table);
  if (!c) {
    const ordered = Object.entries(table).sort((a, b) => a[1][0] - b[1][0]);
    const byId = new Map<number, readonly [string, AttrDef]>();
    for (const e of ordered) {
      if (byId.has(e[1][0])) throw new Error(`attribute table declares id ${e[1][0]} twice (${e[1][2]})`);
      byId.set(e[1][0], e);
    }
    const fields = ordered.filter((e) => e[1][1] !== 'pad' && e[1][1] !== 'skip');
    c = { byId, names: fields.map((e) => e[0]), defs: fields.map((e) => e[1]) };
    compiled.set(table, c);
  }
  return c;
}

/** Writes `value`'s attributes in id order, then its unknown attributes as they came. */
export function encodeAttrs<S extends AttrTable>(w: ByteWriter, table: S, value: Attrs<S>): void {
  writeLoose(w, table, value as Loose);
}

function writeLoose(w: ByteWriter, table: AttrTable, value: Loose): void {
  const { names, defs } = compile(table);
  for (let i = 0; i < names.length; i++) {
    const v = value[names[i]!];
    if (v !== undefined) writeOne(w, defs[i]!, v as Value);
  }
  const unknown = value.$unknown;
  if (unknown) for (const raw of unknown) putRawAttr(w, raw);
}

function int(def: AttrDef, v: Value, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new NetlinkEncodeError(`${def[2]}: ${String(v)} is not an integer in 0..${max}`);
  }
  return v;
}

function writeOne(w: ByteWriter, def: AttrDef, v: Value): void {
  if (def.length === 4) {
    const at = startAttr(w, def[0] | NLA_F_NESTED);
    if (def[1] === 'nest') {
      writeLoose(w, def[3], v as Loose);
    } else {
      (v as Loose[]).forEach((item, i) => {
        const inner = startAttr(w, (i + 1) | NLA_F_NESTED);
        writeLoose(w, def[3], item);
        endAttr(w, inner);
      });
    }
    endAttr(w, at);
    return;
  }
  const at = startAttr(w, def[0]);
  switch (def[1]) {
    case 'u8': w.u8(int(def, v, 0xff)); break;
    case 'u16': w.u16(int(def, v, 0xffff)); break;
    case 'be16': w.be16(int(def, v, 0xffff)); break;
    case 'u32': w.u32(int(def, v, 0xffffffff)); break;
    case 'be32': w.be32(int(def, v, 0xffffffff)); break;
    case 'u64':
      if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) throw new NetlinkEncodeError(`${def[2]}: ${String(v)} is not a u64`);
      w.u64(v);
      break;
    case 'string':
      if (typeof v !== 'string' || v.includes('\0')) throw new NetlinkEncodeError(`${def[2]}: expected a string without NUL`);
      w.bytes(Buffer.from(`${v}\0`, 'latin1'));
      break;
    case 'binary':
      if (!(v instanceof Uint8Array)) throw new NetlinkEncodeError(`${def[2]}: expected bytes`);
      w.bytes(v);
      break;
    case 'flags32': {
      const f = v as Flags32;
      w.u32(int(def, f.flags, 0xffffffff));
      w.u32(int(def, f.mask, 0xffffffff));
      break;
    }
    case 'pad': case 'skip': break;
  }
  endAttr(w, at);
}

/** Decodes an attribute stream by the table; `where` prefixes error messages (the enclosing attribute). */
export function decodeAttrs<S extends AttrTable>(table: S, buf: Buffer, where: string): Attrs<S> {
  return readLoose(table, buf, where) as Attrs<S>;
}

function readLoose(table: AttrTable, buf: Buffer, where: string): Loose {
  const { byId } = compile(table);
  const out: Loose = {};
  for (const a of parseAttrs(buf, where)) {
    const known = byId.get(a.type & NLA_TYPE_MASK);
    if (!known) {
      (out.$unknown ??= []).push({ type: a.type, data: Buffer.from(a.data) });
      continue;
    }
    const [field, def] = known;
    if (def[1] === 'pad' || def[1] === 'skip') continue;
    out[field] = readOne(def, a.data, where); // a repeated attribute: the last one wins, as in nla_parse
  }
  return out;
}

function size(def: AttrDef, data: Buffer, where: string, ...allowed: number[]): void {
  if (!allowed.includes(data.length)) {
    throw new NetlinkFormatError(`${where}.${def[2]}: expected ${allowed.join(' or ')} bytes, got ${data.length}`);
  }
}

function readOne(def: AttrDef, data: Buffer, where: string): Value {
  if (def.length === 4) {
    const inner = `${where}.${def[2]}`;
    if (def[1] === 'nest') return readLoose(def[3], data, inner);
    return parseAttrs(data, inner).map((e) => readLoose(def[3], e.data, `${inner}[${e.type & NLA_TYPE_MASK}]`));
  }
  switch (def[1]) {
    case 'u8': size(def, data, where, 1); return data[0]!;
    case 'u16': size(def, data, where, 2); return readU16(data, 0);
    case 'be16': size(def, data, where, 2); return data.readUInt16BE(0);
    case 'u32': size(def, data, where, 4); return readU32(data, 0);
    case 'be32': size(def, data, where, 4); return data.readUInt32BE(0);
    case 'u64': // some counters are u32 on older kernels; accept both widths
      size(def, data, where, 8, 4);
      return data.length === 8 ? readU64(data, 0) : BigInt(readU32(data, 0));
    case 'string': {
      const nul = data.indexOf(0);
      return data.toString('latin1', 0, nul < 0 ? data.length : nul);
    }
    case 'binary': return Buffer.from(data);
    case 'flags32':
      if (data.length < 8) size(def, data, where, 8);
      return { flags: readU32(data, 0), mask: readU32(data, 4) };
    case 'pad': case 'skip': return 0;
  }
}
