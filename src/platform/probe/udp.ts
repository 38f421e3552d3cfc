/** UDP_CHECK: the pure payload and reply rule (health/checkers/udp.ts) on one connected socket. */
import type { UdpCheck } from '../../model/config-checkers.js';
import type { ProbeResult } from '../../ports/prober.js';
import type { Random } from '../../ports/random.js';
import { udpPayload, udpReply, udpSilence } from '../../health/checkers/udp.js';
import { down } from '../../health/checkers/result.js';
import { endpoint } from './connection.js';
import { exchange } from './datagram.js';

export function probeUdp(check: UdpCheck, random: Random, signal: AbortSignal): Promise<ProbeResult> {
  const ep = endpoint(check.conn);
  if (typeof ep === 'string') return Promise.resolve(down('error', ep));
  return exchange(ep, udpPayload(check, random), signal, (reply) => udpReply(check, reply), () => udpSilence(check));
}
