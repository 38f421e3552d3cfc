/** TCP_CHECK (keepalived check/check_tcp.c): a completed connect is up; refused, timeout, unreachable are down. */
import type { TcpCheck } from '../../model/config-checkers.js';
import type { ProbeResult } from '../../ports/prober.js';
import { down, up } from '../../health/checkers/result.js';
import { endpoint } from './connection.js';
import { connectTcp, isResult } from './stream.js';

export async function probeTcp(check: TcpCheck, signal: AbortSignal): Promise<ProbeResult> {
  const ep = endpoint(check.conn);
  if (typeof ep === 'string') return down('error', ep);
  const s = await connectTcp(ep, signal);
  if (isResult(s)) return s;
  // keepalived closes at once after the connect (tcp_check_thread → close); so does this.
  s.destroy();
  return up('connected');
}
