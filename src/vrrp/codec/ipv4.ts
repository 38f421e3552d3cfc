/**
 * The IPv4 header around a VRRP message on a raw socket: keepalived builds it itself (IP_HDRINCL,
 * vrrp.c vrrp_build_ip4) and reads it back whole; the TTL it carries is checked (RFC 5798 §5.1.1.3).
 * IPv6 raw sockets hand over the payload alone, with the hop limit as ancillary data.
 */
import type { IpAddr } from '../../model/address.js';
import { readAddr, writeAddr } from './addr-bytes.js';
import { finish, IPPROTO_VRRP, sumWords } from './checksum.js';

export interface Ipv4Packet {
  readonly src: IpAddr;
  readonly dst: IpAddr;
  readonly ttl: number;
  readonly protocol: number;
  /** The bytes after the header (options skipped). */
  readonly payload: Uint8Array;
}

export type Ipv4Result =
  | { readonly ok: true; readonly packet: Ipv4Packet }
  | { readonly ok: false; readonly reason: 'truncated' | 'length'; readonly detail: string };

/** Splits a received IPv4 packet; never throws. Total length must match what arrived (keepalived vrrp_check_packet). */
export function decodeIpv4(bytes: Uint8Array): Ipv4Result {
  if (bytes.length < 20) return { ok: false, reason: 'truncated', detail: `${bytes.length} bytes is shorter than an IPv4 header` };
  const ihl = (bytes[0]! & 0x0f) * 4;
  if (bytes[0]! >> 4 !== 4 || ihl < 20) return { ok: false, reason: 'truncated', detail: `not an IPv4 header (first byte 0x${bytes[0]!.toString(16)})` };
  if (bytes.length < ihl) return { ok: false, reason: 'truncated', detail: `${bytes.length} bytes is shorter than the ${ihl}-byte IPv4 header` };
  const total = (bytes[2]! << 8) | bytes[3]!;
  if (total !== bytes.length) return { ok: false, reason: 'length', detail: `IPv4 total length ${total} but ${bytes.length} bytes arrived` };
  return {
    ok: true,
    packet: {
      ttl: bytes[8]!, protocol: bytes[9]!,
      src: readAddr(bytes, 12, 4),
      dst: readAddr(bytes, 16, 4),
      payload: bytes.subarray(ihl),
    },
  };
}

export interface Ipv4Header {
  readonly src: IpAddr;
  readonly dst: IpAddr;
  /** 255 for multicast (RFC 5798 §5.1.1.3); unicast_ttl for unicast. */
  readonly ttl: number;
  /** keepalived counts its adverts here. */
  readonly id: number;
}

/** keepalived's header: tos 0xc0 (internet network control), no fragmentation, protocol 112, checksum filled. */
export function encodeIpv4(h: Ipv4Header, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(20 + payload.length);
  b[0] = 0x45;
  b[1] = 0xc0;
  b[2] = b.length >> 8;
  b[3] = b.length & 0xff;
  b[4] = (h.id >> 8) & 0xff;
  b[5] = h.id & 0xff;
  b[8] = h.ttl;
  b[9] = IPPROTO_VRRP;
  writeAddr(b, 12, h.src);
  writeAddr(b, 16, h.dst);
  const sum = finish(sumWords(b, 0, 20));
  b[10] = sum >> 8;
  b[11] = sum & 0xff;
  b.set(payload, 20);
  return b;
}
