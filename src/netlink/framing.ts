import { ByteWriter, align4, readI32, readU16, readU32 } from './bytes.js';
import { NLA_TYPE_MASK, parseAttrs } from './attrs.js';
import { NetlinkFormatError } from './errors.js';

/**
 * Netlink message framing (include/uapi/linux/netlink.h): struct nlmsghdr {u32 len; u16 type; u16 flags;
 * u32 seq; u32 pid} in host order, then the payload, the next message at the 4-byte-aligned offset.
 * One datagram may carry many messages both ways: a batch of requests, or a dump's parts.
 */
export const NLMSG_HDRLEN = 16;

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;

export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_ECHO = 0x08;
export const NLM_F_DUMP_INTR = 0x10;
/** GET requests: ROOT | MATCH */
export const NLM_F_DUMP = 0x300;
/** NEW requests */
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
/** Flags on an NLMSG_ERROR ack: the request's payload was left out (NETLINK_CAP_ACK); extack TLVs follow. */
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

/** enum nlmsgerr_attrs: the extended ack's message text and the offset of the offending attribute. */
const NLMSGERR_ATTR_MSG = 1;
const NLMSGERR_ATTR_OFFS = 2;

export interface NlMessage {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly pid: number;
  readonly payload: Buffer;
}

/** What NLMSG_ERROR (an ack when error is 0) and NLMSG_DONE carry. */
export interface NlStatus {
  /** 0 or a negative errno */
  readonly error: number;
  readonly extack?: string;
  /** byte offset of the offending attribute in the request */
  readonly extackOffset?: number;
}

/** A message payload: bytes, or a function that writes them (so a batch is encoded straight into its datagram). */
export type Payload = Uint8Array | ((w: ByteWriter) => void);

/** A payload as bytes, whichever form it has. */
export function payloadBytes(payload: Payload): Buffer {
  if (typeof payload !== 'function') return Buffer.from(payload);
  const w = new ByteWriter();
  payload(w);
  return w.finish();
}

/** Appends one message: header, payload, alignment. */
export function writeMessage(w: ByteWriter, type: number, flags: number, seq: number, payload: Payload): void {
  const at = w.length;
  w.u32(0);
  w.u16(type);
  w.u16(flags);
  w.u32(seq);
  w.u32(0); // pid 0: to the kernel, which fills in our port id itself
  if (typeof payload === 'function') payload(w);
  else w.bytes(payload);
  w.patchU32(at, w.length - at);
  w.align();
}

/** Splits a received datagram into messages; anything short or overlong is a NetlinkFormatError. */
export function parseDatagram(buf: Buffer): NlMessage[] {
  const out: NlMessage[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < NLMSG_HDRLEN) {
      throw new NetlinkFormatError(`datagram of ${buf.length} bytes ends with a ${buf.length - off}-byte partial header`);
    }
    const len = readU32(buf, off);
    if (len < NLMSG_HDRLEN || off + len > buf.length) {
      throw new NetlinkFormatError(`message at offset ${off} claims ${len} bytes, ${buf.length - off} left in the datagram`);
    }
    out.push({
      type: readU16(buf, off + 4),
      flags: readU16(buf, off + 6),
      seq: readU32(buf, off + 8),
      pid: readU32(buf, off + 12),
      payload: buf.subarray(off + NLMSG_HDRLEN, off + len),
    });
    off += align4(len);
  }
  return out;
}

/**
 * NLMSG_ERROR: struct nlmsgerr {int error; struct nlmsghdr msg} then, unless CAPPED, the rest of the
 * request, then extack TLVs when ACK_TLVS (net/netlink/af_netlink.c netlink_ack).
 */
export function parseError(m: NlMessage): NlStatus {
  const p = m.payload;
  if (p.length < 4 + NLMSG_HDRLEN) throw new NetlinkFormatError(`NLMSG_ERROR of ${p.length} bytes, need ${4 + NLMSG_HDRLEN}`);
  const error = readI32(p, 0);
  if (!(m.flags & NLM_F_ACK_TLVS)) return { error };
  const echoed = m.flags & NLM_F_CAPPED ? NLMSG_HDRLEN : align4(readU32(p, 4));
  return { error, ...extack(p.subarray(Math.min(p.length, 4 + echoed))) };
}

/** NLMSG_DONE: an int status (absent in some old replies), then extack TLVs when ACK_TLVS. */
export function parseDone(m: NlMessage): NlStatus {
  const p = m.payload;
  const error = p.length >= 4 ? readI32(p, 0) : 0;
  if (!(m.flags & NLM_F_ACK_TLVS) || p.length < 4) return { error };
  return { error, ...extack(p.subarray(4)) };
}

function extack(tlvs: Buffer): { extack?: string; extackOffset?: number } {
  const out: { extack?: string; extackOffset?: number } = {};
  for (const a of parseAttrs(tlvs, 'extended ack')) {
    const t = a.type & NLA_TYPE_MASK;
    if (t === NLMSGERR_ATTR_MSG) out.extack = a.data.toString('utf8').replace(/\0.*$/s, '');
    else if (t === NLMSGERR_ATTR_OFFS && a.data.length >= 4) out.extackOffset = readU32(a.data, 0);
  }
  return out;
}
