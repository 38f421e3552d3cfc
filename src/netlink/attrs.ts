import { ByteWriter, align4, readU16 } from './bytes.js';
import { NetlinkEncodeError, NetlinkFormatError } from './errors.js';

/**
 * Netlink attributes (struct nlattr, include/uapi/linux/netlink.h): {u16 nla_len; u16 nla_type} then the
 * payload, the next attribute at the 4-byte-aligned offset. nla_len counts header and payload, not padding.
 * The top two type bits are flags: NLA_F_NESTED and NLA_F_NET_BYTEORDER.
 */
export const NLA_HDRLEN = 4;
export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
export const NLA_TYPE_MASK = 0x3fff;

/** An attribute as it was on the wire: type with its flag bits, and the payload. */
export interface RawAttr {
  readonly type: number;
  readonly data: Buffer;
}

/** Splits an attribute stream; `where` names the enclosing message or nest for the error text. */
export function parseAttrs(buf: Buffer, where: string): RawAttr[] {
  const out: RawAttr[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < NLA_HDRLEN) {
      throw new NetlinkFormatError(`${where}: ${buf.length - off} stray byte(s) after the last attribute`);
    }
    const len = readU16(buf, off);
    const type = readU16(buf, off + 2);
    if (len < NLA_HDRLEN || off + len > buf.length) {
      throw new NetlinkFormatError(`${where}: attribute type ${type & NLA_TYPE_MASK} claims ${len} bytes, ${buf.length - off} left`);
    }
    out.push({ type, data: buf.subarray(off + NLA_HDRLEN, off + len) });
    off += align4(len);
  }
  return out;
}

/** Starts an attribute; returns the offset endAttr() needs. */
export function startAttr(w: ByteWriter, type: number): number {
  const at = w.length;
  w.u16(0);
  w.u16(type);
  return at;
}

/** Sets the attribute's length (header + payload) and pads to alignment. */
export function endAttr(w: ByteWriter, at: number): void {
  const len = w.length - at;
  if (len > 0xffff) throw new NetlinkEncodeError(`attribute of ${len} bytes exceeds netlink's 64 KiB limit`);
  w.patchU16(at, len);
  w.align();
}

/** Writes an attribute whose payload is already bytes (unknown attributes on their way back out). */
export function putRawAttr(w: ByteWriter, a: RawAttr): void {
  const at = startAttr(w, a.type);
  w.bytes(a.data);
  endAttr(w, at);
}
