/**
 * UDP_CHECK's payload and reply rule (keepalived check/check_udp.c check_udp_reply, core/layer4.c
 * udp_bind_connect, udp_socket_state). Without a configured payload keepalived sends UDP_BUFSIZE (32)
 * random bytes. Without require_reply silence until the timeout is success; an ICMP port unreachable
 * (ECONNREFUSED on the connected socket) is failure either way. A reply is judged only when require_reply and reply_data
 * are set: its length must be within min/max_reply_length, and the bytes both have must agree except where
 * the mask (X in the config) says "any".
 */
import type { UdpCheck } from '../../model/config-checkers.js';
import type { ProbeResult } from '../../ports/prober.js';
import type { Random } from '../../ports/random.js';
import { down, up } from './result.js';

export const RANDOM_PAYLOAD = 32;

export function udpPayload(check: UdpCheck, random: Random): Uint8Array {
  if (check.payload) return Uint8Array.from(check.payload);
  const out = new Uint8Array(RANDOM_PAYLOAD);
  for (let i = 0; i < out.length; i += 4) new DataView(out.buffer).setUint32(i, random() >>> 0);
  return out;
}

export function udpReply(check: UdpCheck, reply: Uint8Array): ProbeResult {
  const data = check.replyData;
  // keepalived only keeps the reply when require_reply is set (udp_check_thread's recv_buf).
  if (!check.requireReply || !data) return up(`UDP reply of ${reply.length} bytes`);
  if (reply.length < check.minReplyLength || reply.length > check.maxReplyLength) {
    return down('protocol', `UDP reply of ${reply.length} bytes is outside ${check.minReplyLength}..${check.maxReplyLength}`);
  }
  const mask = check.replyMask;
  const n = Math.min(reply.length, data.length);
  for (let i = 0; i < n; i++) {
    if (((reply[i] ?? 0) ^ (data[i] ?? 0)) & ~(mask?.[i] ?? 0) & 0xff) return down('protocol', `UDP reply differs from reply_data at byte ${i}`);
  }
  return up(`UDP reply of ${reply.length} bytes matches`);
}

/** The end of the wait without a datagram (udp_socket_state's read timeout). */
export function udpSilence(check: UdpCheck): ProbeResult {
  return check.requireReply ? down('timeout', 'no UDP reply') : up('no UDP reply and none required');
}
