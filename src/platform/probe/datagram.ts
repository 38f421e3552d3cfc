/**
 * One connected UDP socket's exchange for DNS_CHECK and UDP_CHECK (keepalived core/layer4.c
 * udp_bind_connect with IP_RECVERR): bind if asked, connect, send one datagram, then hand each reply to
 * the judge until it decides or connect_timeout passes since the send. An ICMP port unreachable arrives
 * as ECONNREFUSED on the connected socket.
 */
import dgram from 'node:dgram';
import type { ProbeResult } from '../../ports/prober.js';
import { down } from '../../health/checkers/result.js';
import type { Endpoint } from './connection.js';
import { socketFailure } from './errors.js';
import { settle } from './settle.js';

export function exchange(ep: Endpoint, payload: Uint8Array, signal: AbortSignal,
  judge: (reply: Buffer) => ProbeResult | null, silence: () => ProbeResult): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const s = dgram.createSocket({ type: ep.family === 6 ? 'udp6' : 'udp4' });
    const { finish, arm, done } = settle(signal, () => {
      s.removeAllListeners('message');
      s.on('error', () => { /* closing: nothing more to report */ });
      try { s.close(); } catch { /* never bound */ }
    }, resolve);
    if (done) return;
    s.on('error', (e) => finish(socketFailure('udp', e)));
    s.on('message', (m) => {
      const r = judge(m);
      if (r) finish(r);
    });
    const connect = (): void => s.connect(ep.port, ep.host, () => {
      s.send(payload, (e) => {
        if (e) return finish(socketFailure('udp send', e));
        arm(ep.timeoutMs, silence);
      });
    });
    if (ep.localAddress || ep.localPort) s.bind({ address: ep.localAddress, port: ep.localPort ?? 0 }, connect);
    else connect();
  });
}

export const noReply = (what: string, ms: number): ProbeResult => down('timeout', `no ${what} reply in ${ms} ms`);
