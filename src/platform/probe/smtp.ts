/** SMTP_CHECK over a TCP connection: the pure dialogue (health/checkers/smtp.ts) drives the socket. */
import type { SmtpCheck } from '../../model/config-checkers.js';
import type { ProbeResult } from '../../ports/prober.js';
import { SmtpDialogue } from '../../health/checkers/smtp.js';
import { down } from '../../health/checkers/result.js';
import { endpoint } from './connection.js';
import { connectTcp, converse, isResult } from './stream.js';

export async function probeSmtp(check: SmtpCheck, signal: AbortSignal): Promise<ProbeResult> {
  const ep = endpoint(check.conn);
  if (typeof ep === 'string') return down('error', ep);
  const s = await connectTcp(ep, signal);
  if (isResult(s)) return s;
  const dialogue = new SmtpDialogue(check.heloName);
  return converse(s, ep.timeoutMs, signal, {
    data: (chunk) => {
      const step = dialogue.feed(chunk);
      if (step.kind === 'send') s.write(step.line);
      return step.kind === 'done' ? step.result : null;
    },
    end: () => dialogue.closed(),
  });
}
