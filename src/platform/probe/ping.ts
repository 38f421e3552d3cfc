/// <reference path="./raw-socket.d.ts" />
/**
 * PING_CHECK on a raw ICMP / ICMPv6 socket (the raw-socket addon; needs CAP_NET_RAW, which the IPVS
 * director has). keepalived uses an unprivileged ping socket (SOCK_DGRAM, IPPROTO_ICMP) that Node
 * cannot open; the raw socket sends the same echo and the pure part (health/checkers/ping.ts) picks our
 * reply out of all ICMP traffic by source, identifier and sequence. bind_if is SO_BINDTODEVICE and fwmark
 * SO_MARK on the socket, as keepalived sets them; bindto has no bind() in the addon and fails clearly.
 */
import type { PingCheck } from '../../model/config-checkers.js';
import type { ProbeResult } from '../../ports/prober.js';
import type { Random } from '../../ports/random.js';
import { echoRequest, echoVerdict, ICMP_BUFSIZE, icmpOf } from '../../health/checkers/ping.js';
import { down } from '../../health/checkers/result.js';
import { socketFailure } from './errors.js';
import { settle } from './settle.js';

/** asm-generic/socket.h: SO_MARK, which raw-socket's table leaves out. */
const SO_MARK = 36;

export async function probePing(check: PingCheck, random: Random, seq: number, signal: AbortSignal): Promise<ProbeResult> {
  const c = check.conn;
  if (c.bindto) return down('error', `bindto ${c.bindto.text} is not supported for PING_CHECK (the raw socket has no bind)`);
  let raw: typeof import('raw-socket').default;
  try {
    raw = (await import('raw-socket')).default;
  } catch (e) {
    return down('error', `PING_CHECK needs the raw-socket addon: ${(e as Error).message}`);
  }
  const af = c.connectIp.af;
  let socket: ReturnType<typeof raw.createSocket>;
  try {
    socket = raw.createSocket(af === 6 ? { protocol: raw.Protocol.ICMPv6, addressFamily: raw.AddressFamily.IPv6 } : { protocol: raw.Protocol.ICMP });
    if (c.bindIf) socket.setOption(raw.SocketLevel.SOL_SOCKET, raw.SocketOption.SO_BINDTODEVICE, Buffer.from(`${c.bindIf}\0`), c.bindIf.length + 1);
    if (c.fwmark) socket.setOption(raw.SocketLevel.SOL_SOCKET, SO_MARK, c.fwmark);
  } catch (e) {
    return socketFailure('ICMP socket', e);
  }
  const id = random() & 0xffff;
  const payload = new Uint8Array(ICMP_BUFSIZE);
  for (let i = 0; i < payload.length; i++) payload[i] = random() & 0xff;
  const request = Buffer.from(echoRequest(af, id, seq, payload));
  const target = c.connectIp.text;
  const timeoutMs = Math.max(1, Math.round(c.connectTimeout * 1000));
  return new Promise((resolve) => {
    const { finish, arm, done } = settle(signal, () => socket.close(), resolve);
    if (done) return;
    arm(timeoutMs, () => down('timeout', `no echo reply in ${timeoutMs} ms`));
    socket.on('error', (e) => finish(socketFailure('ICMP', e)));
    socket.on('message', (packet, source) => {
      const icmp = icmpOf(af, packet);
      // A reply must come from the target; an error may come from any router on the way.
      const verdict = echoVerdict(af, icmp, id, seq);
      if (verdict && (!verdict.up || source === target)) finish(verdict);
    });
    socket.send(request, 0, request.length, c.bindIf && af === 6 ? `${target}%${c.bindIf}` : target, (e) => {
      if (e) finish(socketFailure('ICMP send', e));
    });
  });
}
