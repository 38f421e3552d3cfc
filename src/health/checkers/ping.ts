/**
 * PING_CHECK's echo (keepalived check/check_ping.c ping_it / recv_it, ping6_it / recv6_it): an ICMP or
 * ICMPv6 echo request with ICMP_BUFSIZE (128) bytes of payload and the next sequence number; success is
 * an echo reply carrying that sequence. keepalived's ping socket lets the kernel own the identifier; on a
 * raw socket the identifier is ours, and the socket sees every ICMP packet of the host, so a packet
 * that is not about our echo is ignored rather than failing the check. An ICMP error quoting our echo
 * (destination unreachable, time exceeded) is failure (RFC 792, RFC 4443 §3).
 */
import type { Family } from '../../model/address.js';
import type { ProbeResult } from '../../ports/prober.js';
import { down, up } from './result.js';

export const ICMP_BUFSIZE = 128;
const HEADER = 8;
/** RFC 792 / RFC 4443 §4 type numbers. */
const TYPES = {
  4: { request: 8, reply: 0, errors: new Map([[3, 'destination unreachable'], [11, 'time exceeded']]) },
  6: { request: 128, reply: 129, errors: new Map([[1, 'destination unreachable'], [3, 'time exceeded']]) },
} as const;

/** RFC 1071 Internet checksum. */
export function inetChecksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * The echo request. IPv4's checksum is ours to compute; a raw ICMPv6 socket has the kernel fill in the
 * checksum over the pseudo-header (RFC 3542 §3.1), so it is left 0 there.
 */
export function echoRequest(af: Family, id: number, seq: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + payload.length);
  const v = new DataView(out.buffer);
  out[0] = TYPES[af].request;
  v.setUint16(4, id & 0xffff);
  v.setUint16(6, seq & 0xffff);
  out.set(payload, HEADER);
  if (af === 4) v.setUint16(2, inetChecksum(out));
  return out;
}

/** A raw IPv4 socket hands over the IP header too; IPv6 raw sockets do not. */
export function icmpOf(af: Family, packet: Uint8Array): Uint8Array {
  if (af === 6) return packet;
  const ihl = ((packet[0] ?? 0) & 0x0f) * 4;
  return packet.subarray(Math.min(ihl, packet.length));
}

/** The verdict on one ICMP message, or null when it is not about our echo. */
export function echoVerdict(af: Family, icmp: Uint8Array, id: number, seq: number): ProbeResult | null {
  if (icmp.length < HEADER) return null;
  const v = new DataView(icmp.buffer, icmp.byteOffset, icmp.byteLength);
  const type = icmp[0] ?? 0;
  if (type === TYPES[af].reply) {
    if (v.getUint16(4) !== (id & 0xffff) || v.getUint16(6) !== (seq & 0xffff)) return null;
    return up(`echo reply seq ${seq}`);
  }
  const error = TYPES[af].errors.get(type);
  if (!error) return null;
  // The error quotes our datagram: IPv4 header (its own length) or the fixed 40-byte IPv6 header, then our echo.
  const quoted = icmpOf(af, icmp.subarray(HEADER));
  const inner = af === 6 ? quoted.subarray(40) : quoted;
  if (inner.length < HEADER || inner[0] !== TYPES[af].request) return null;
  const iv = new DataView(inner.buffer, inner.byteOffset, inner.byteLength);
  if (iv.getUint16(4) !== (id & 0xffff) || iv.getUint16(6) !== (seq & 0xffff)) return null;
  return down('unreachable', `ICMP ${error} (code ${icmp[1] ?? 0})`);
}
