/**
 * SMTP_CHECK's dialogue (keepalived check/check_smtp.c smtp_engine_thread): read the banner, which must
 * be "220"; send "HELO name"; the reply must be "250"; send "QUIT"; any line back is success.
 * keepalived looks at the first line of each reply only (a multi-line "220-" banner fails, as there), and
 * a status is exactly three digits followed by a space or the end of the line (smtp_get_status).
 */
import type { ProbeResult } from '../../ports/prober.js';
import { down, up } from './result.js';

/** keepalived's SMTP_BUFF_MAX − 1 (check_smtp.h): a line longer than this is an overflow. */
export const MAX_LINE = 511;

export type SmtpStep =
  | { readonly kind: 'wait' }
  | { readonly kind: 'send'; readonly line: string }
  | { readonly kind: 'done'; readonly result: ProbeResult };

/** smtp_get_status: the line's leading three-digit code, or -1. */
export function smtpStatus(line: string): number {
  const m = /^(\d{3})(?: |$)/.exec(line);
  return m ? Number(m[1]) : -1;
}

type Phase = 'banner' | 'helo' | 'quit';

export class SmtpDialogue {
  private phase: Phase = 'banner';
  private line = '';

  constructor(private readonly heloName: string) {}

  /** Feed bytes from the server; the step says what to send next or how the check ended. */
  feed(chunk: Uint8Array): SmtpStep {
    this.line += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    const nl = this.line.indexOf('\n');
    if (nl < 0) {
      if (this.line.length >= MAX_LINE) return done(down('protocol', `SMTP ${this.phase} line longer than ${MAX_LINE} bytes`));
      return { kind: 'wait' };
    }
    const line = this.line.slice(0, nl).replace(/\r$/, '');
    // smtp_get_line starts each reply with an empty buffer: bytes after the newline are dropped.
    this.line = '';
    return this.answer(line);
  }

  private answer(line: string): SmtpStep {
    const code = smtpStatus(line);
    switch (this.phase) {
      case 'banner':
        if (code !== 220) return done(down('protocol', `bad greeting banner ${JSON.stringify(clip(line))}`));
        this.phase = 'helo';
        return { kind: 'send', line: `HELO ${this.heloName}\r\n` };
      case 'helo':
        if (code !== 250) return done(down('protocol', `bad HELO response ${JSON.stringify(clip(line))}`));
        this.phase = 'quit';
        return { kind: 'send', line: 'QUIT\r\n' };
      case 'quit':
        return done(up('SMTP banner, HELO and QUIT ok'));
    }
  }

  /** The peer closed or failed before the dialogue ended (smtp_get_line: "Read failure"). */
  closed(): ProbeResult {
    return down('protocol', `connection closed while waiting for the SMTP ${this.phase} reply`);
  }
}

const done = (result: ProbeResult): SmtpStep => ({ kind: 'done', result });
const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 80)}…` : s);
