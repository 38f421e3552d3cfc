import { readU16, readU32, type ByteWriter } from '../bytes.js';
import { NetlinkEncodeError, NetlinkFormatError } from '../errors.js';

/**
 * The fixed header each rtnetlink message carries after its nlmsghdr (struct ifaddrmsg, ifinfomsg, ndmsg,
 * rtmsg), declared as a list of fields like the attribute tables: [name, type], in wire order, host byte
 * order. The encoder and decoder derive from the list; a `pad` field is written as zero and not decoded.
 */
export type HeaderField = readonly [name: string, type: 'u8' | 'u16' | 'u32' | 'i32' | 'pad8' | 'pad16'];
export type HeaderDef = readonly HeaderField[];

type FieldNames<H extends HeaderDef> = { [K in keyof H]: H[K] extends readonly [infer N extends string, 'u8' | 'u16' | 'u32' | 'i32'] ? N : never }[number];

/** A header's values: every named field a number. */
export type HeaderValues<H extends HeaderDef> = { [K in FieldNames<H>]: number };

const SIZE = { u8: 1, u16: 2, u32: 4, i32: 4, pad8: 1, pad16: 2 } as const;
const MAX = { u8: 0xff, u16: 0xffff, u32: 0xffffffff } as const;

export function headerSize(def: HeaderDef): number {
  return def.reduce((n, f) => n + SIZE[f[1]], 0);
}

/** Writes the header; a field left out is 0. `what` names the struct in errors (e.g. "ifaddrmsg"). */
export function writeHeader<H extends HeaderDef>(w: ByteWriter, def: H, v: Partial<HeaderValues<H>>, what: string): void {
  const values = v as Partial<Record<string, number>>;
  for (const [name, type] of def) {
    const x = values[name] ?? 0;
    if (type === 'pad8') { w.u8(0); continue; }
    if (type === 'pad16') { w.u16(0); continue; }
    const ok = Number.isInteger(x) && (type === 'i32' ? x >= -0x80000000 && x <= 0x7fffffff : x >= 0 && x <= MAX[type]);
    if (!ok) throw new NetlinkEncodeError(`${what}.${name}: ${x} does not fit a ${type}`);
    if (type === 'u8') w.u8(x);
    else if (type === 'u16') w.u16(x);
    else w.u32(x >>> 0);
  }
}

/** Reads the header at the start of `p`; the rest of `p` is the attributes. */
export function readHeader<H extends HeaderDef>(def: H, p: Buffer, what: string): { header: HeaderValues<H>; rest: Buffer } {
  const size = headerSize(def);
  if (p.length < size) throw new NetlinkFormatError(`${what}: ${p.length}-byte payload, the header alone is ${size}`);
  const out: Record<string, number> = {};
  let off = 0;
  for (const [name, type] of def) {
    if (type === 'u8') out[name] = p[off]!;
    else if (type === 'u16') out[name] = readU16(p, off);
    else if (type === 'u32') out[name] = readU32(p, off);
    else if (type === 'i32') out[name] = readU32(p, off) | 0;
    off += SIZE[type];
  }
  return { header: out as HeaderValues<H>, rest: p.subarray(size) };
}
