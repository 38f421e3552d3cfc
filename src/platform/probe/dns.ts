/** DNS_CHECK over UDP: the pure query and reply rule (health/checkers/dns.ts) on one connected socket. */
import type { DnsCheck } from '../../model/config-checkers.js';
import type { ProbeResult } from '../../ports/prober.js';
import type { Random } from '../../ports/random.js';
import { dnsQuery, dnsReply } from '../../health/checkers/dns.js';
import { down } from '../../health/checkers/result.js';
import { endpoint } from './connection.js';
import { exchange, noReply } from './datagram.js';

export function probeDns(check: DnsCheck, random: Random, signal: AbortSignal): Promise<ProbeResult> {
  const ep = endpoint(check.conn);
  if (typeof ep === 'string') return Promise.resolve(down('error', ep));
  // check_dns.c: header->id = random(); a fresh id each attempt.
  const id = random() & 0xffff;
  const query = dnsQuery(id, check.queryType, check.name);
  if (typeof query === 'string') return Promise.resolve(down('error', query));
  return exchange(ep, query, signal, (reply) => dnsReply(id, reply), () => noReply('DNS', ep.timeoutMs));
}
