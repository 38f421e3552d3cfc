/**
 * DNS_CHECK's query and its rule for a reply (keepalived check/check_dns.c dns_make_query,
 * dns_recv_thread). The query: a random id, RD set, one question of the configured type, class IN
 * (RFC 1035 §4.1). A reply counts only if it is at least a header long, carries the query's id and has
 * QR set; anything else is ignored and the check keeps waiting until its timeout. A counted reply is
 * success when RCODE is 0 — keepalived looks at neither the answer count nor the answers.
 */
import type { DnsQueryType } from '../../model/config-checkers.js';
import type { ProbeResult } from '../../ports/prober.js';
import { down, up } from './result.js';

/** RFC 1035 §3.2.2 and RFC 3596 §2.1 type codes. */
export const DNS_TYPES: Readonly<Record<DnsQueryType, number>> = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28 };
const HEADER = 12;
const RD = 0x0100;
const QR = 0x8000;

/**
 * The query datagram, or why the name cannot be encoded. Labels are split on dots as keepalived does;
 * "." alone is the root (a single zero byte). RFC 1035 §2.3.4 limits a label to 63 bytes and a name to 255.
 */
export function dnsQuery(id: number, type: DnsQueryType, name: string): Uint8Array | string {
  const labels = name === '.' || name === '' ? [] : name.replace(/\.$/, '').split('.');
  const qname: number[] = [];
  for (const l of labels) {
    const b = Buffer.from(l, 'utf8');
    if (b.length > 63) return `DNS name ${JSON.stringify(name)} has a label longer than 63 bytes`;
    qname.push(b.length, ...b);
  }
  qname.push(0);
  if (qname.length > 255) return `DNS name ${JSON.stringify(name)} is longer than 255 bytes`;
  const out = Buffer.alloc(HEADER + qname.length + 4);
  out.writeUInt16BE(id & 0xffff, 0);
  out.writeUInt16BE(RD, 2);
  out.writeUInt16BE(1, 4); // QDCOUNT; AN/NS/ARCOUNT stay 0
  out.set(qname, HEADER);
  out.writeUInt16BE(DNS_TYPES[type], HEADER + qname.length);
  out.writeUInt16BE(1, HEADER + qname.length + 2); // class IN
  return out;
}

/** null: not a reply to this query (too short, another id, not a response) — keep waiting. */
export function dnsReply(id: number, reply: Uint8Array): ProbeResult | null {
  if (reply.length < HEADER) return null;
  const view = new DataView(reply.buffer, reply.byteOffset, reply.byteLength);
  if (view.getUint16(0) !== (id & 0xffff)) return null;
  const flags = view.getUint16(2);
  if (!(flags & QR)) return null;
  const rcode = flags & 0x000f;
  if (rcode !== 0) return down('protocol', `DNS reply rcode ${rcode}`);
  return up(`DNS reply with ${view.getUint16(6)} answers`);
}
