/**
 * The one Prober the daemon hands the health engine: it picks the socket prober by checker type.
 * MISC_CHECK runs a script, which the health engine's own prober does; it comes in as `misc`.
 */
import type { SslContext } from '../../model/config-lvs.js';
import type { Prober, ProbeResult, TimedChecker } from '../../ports/prober.js';
import type { Random } from '../../ports/random.js';
import { down } from '../../health/checkers/result.js';
import { systemRandom } from '../random.js';
import { probeDns } from './dns.js';
import { probeHttp } from './http.js';
import { probePing } from './ping.js';
import { probeSmtp } from './smtp.js';
import { probeTcp } from './tcp.js';
import { tlsOptions } from './tls-options.js';
import { probeUdp } from './udp.js';

export interface ProberOptions {
  /** The configuration's top-level SSL block, for SSL_GET. */
  readonly ssl?: SslContext | null;
  /** MISC_CHECK's prober (the health engine's script runner). */
  readonly misc?: Prober;
  readonly random?: Random;
}

export function createProber(opts: ProberOptions = {}): Prober {
  const random = opts.random ?? systemRandom();
  let tls: ReturnType<typeof tlsOptions> | undefined;
  // check_ping.c: one sequence counter per checker; per prober here, which the id already sets apart.
  let seq = 0;
  const attempt = (check: TimedChecker, signal: AbortSignal): Promise<ProbeResult> => {
    switch (check.type) {
      case 'TCP_CHECK':
        return probeTcp(check, signal);
      case 'HTTP_GET':
        return probeHttp(check, null, signal);
      case 'SSL_GET':
        tls ??= tlsOptions(opts.ssl ?? null);
        return probeHttp(check, tls, signal);
      case 'SMTP_CHECK':
        return probeSmtp(check, signal);
      case 'DNS_CHECK':
        return probeDns(check, random, signal);
      case 'UDP_CHECK':
        return probeUdp(check, random, signal);
      case 'MISC_CHECK':
        return opts.misc ? opts.misc.probe(check, signal) : Promise.resolve(down('error', 'MISC_CHECK has no script prober'));
      case 'PING_CHECK':
        seq = (seq + 1) & 0xffff;
        return probePing(check, random, seq, signal);
    }
  };
  return {
    // The port's promise never rejects: a bug in a prober is still a result, not a crash.
    probe: (check, signal) => attempt(check, signal).catch((e: unknown) => down('error', `${check.type}: ${(e as Error)?.message ?? String(e)}`)),
  };
}
