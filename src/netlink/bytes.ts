import { endianness } from 'node:os';

/**
 * Byte access in the two orders netlink uses: host order for nlmsghdr, genlmsghdr and most attributes, and
 * network order where a kernel field is __be16/__be32 (ports, IPv4 netmask). Host order is decided once here.
 */
export const HOST_LE = endianness() === 'LE';

export function readU16(b: Buffer, off: number): number {
  return HOST_LE ? b.readUInt16LE(off) : b.readUInt16BE(off);
}

export function readU32(b: Buffer, off: number): number {
  return HOST_LE ? b.readUInt32LE(off) : b.readUInt32BE(off);
}

export function readI32(b: Buffer, off: number): number {
  return HOST_LE ? b.readInt32LE(off) : b.readInt32BE(off);
}

export function readU64(b: Buffer, off: number): bigint {
  return HOST_LE ? b.readBigUInt64LE(off) : b.readBigUInt64BE(off);
}

/** A u32 as the other byte order would read it (v6 netmask prefix vs v4 mask, see ipvs/map.ts). */
export function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** Rounds up to netlink's 4-byte alignment (NLMSG_ALIGN / NLA_ALIGN). */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** A growable buffer for building netlink messages; reused writes avoid per-field allocations. */
export class ByteWriter {
  private buf: Buffer;
  private used = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.used;
  }

  private room(n: number): number {
    const at = this.used;
    if (at + n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, at + n));
      this.buf.copy(next, 0, 0, at);
      this.buf = next;
    }
    this.used = at + n;
    return at;
  }

  // Each writer takes its offset from room() before touching this.buf: room() may replace the buffer.
  u8(v: number): void {
    const at = this.room(1);
    this.buf[at] = v;
  }

  u16(v: number): void {
    const at = this.room(2);
    if (HOST_LE) this.buf.writeUInt16LE(v, at); else this.buf.writeUInt16BE(v, at);
  }

  u32(v: number): void {
    const at = this.room(4);
    if (HOST_LE) this.buf.writeUInt32LE(v, at); else this.buf.writeUInt32BE(v, at);
  }

  u64(v: bigint): void {
    const at = this.room(8);
    if (HOST_LE) this.buf.writeBigUInt64LE(v, at); else this.buf.writeBigUInt64BE(v, at);
  }

  be16(v: number): void {
    const at = this.room(2);
    this.buf.writeUInt16BE(v, at);
  }

  be32(v: number): void {
    const at = this.room(4);
    this.buf.writeUInt32BE(v, at);
  }

  bytes(b: Uint8Array): void {
    const at = this.room(b.length);
    this.buf.set(b, at);
  }

  /** Zero padding up to the next 4-byte boundary. */
  align(): void {
    const pad = align4(this.used) - this.used;
    if (pad > 0) {
      const at = this.room(pad);
      this.buf.fill(0, at, this.used);
    }
  }

  /** Overwrites a host-order u16/u32 already written (lengths patched after the content is known). */
  patchU16(at: number, v: number): void {
    if (HOST_LE) this.buf.writeUInt16LE(v, at); else this.buf.writeUInt16BE(v, at);
  }

  patchU32(at: number, v: number): void {
    if (HOST_LE) this.buf.writeUInt32LE(v, at); else this.buf.writeUInt32BE(v, at);
  }

  /** A copy of what was written. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.used));
  }

  /** A view of what was written, valid until the next write or reset. */
  view(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  reset(): void {
    this.used = 0;
  }

  /** Drops what was written after `length` (a message that did not fit, or failed to encode). */
  truncate(length: number): void {
    this.used = Math.min(this.used, length);
  }
}
