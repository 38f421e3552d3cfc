/** Socket errors as the Prober port's failure words, with the errno kept in the detail. */
import type { ProbeFailure, ProbeResult } from '../../ports/prober.js';
import { down } from '../../health/checkers/result.js';

const BY_CODE: Readonly<Record<string, ProbeFailure>> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
};

export function socketFailure(what: string, err: unknown): ProbeResult {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : '';
  const reason = BY_CODE[code] ?? (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS/.test(String(e?.message)) ? 'tls' : 'error');
  return down(reason, `${what}: ${e?.message ?? String(err)}`);
}

export const aborted = (): ProbeResult => down('error', 'the check was cancelled');
