/**
 * A minimal SMTP client (RFC 5321): HELO, MAIL FROM, one RCPT TO per recipient, DATA, QUIT — the exchange
 * keepalived's core/smtp.c runs. Every wait is bounded by the timeout and every reply by its size, so a
 * silent or hostile server costs one socket for a bounded time and bounded memory.
 */
import net from 'node:net';

export interface SmtpTarget {
  readonly host: string;
  readonly port: number;
  /** HELO argument (smtp_helo_name; keepalived says "localhost" when unset). */
  readonly helo: string;
  /** Bounds the connect and each reply (keepalived's smtp_connect_timeout serves both). */
  readonly timeoutMs: number;
}

export interface SmtpEnvelope {
  readonly from: string;
  readonly to: readonly string[];
  /** The DATA section without the final dot, lines ending CRLF (see alert-mail.ts messageText). */
  readonly data: string;
}

/** SMTP_BUFFER_MAX: a reply longer than this is not an SMTP server talking to us. */
const MAX_REPLY_BYTES = 1024;

export class SmtpError extends Error {
  constructor(readonly stage: string, message: string) {
    super(`SMTP ${stage}: ${message}`);
  }
}

/** Reads whole replies (RFC 5321 4.2: `NNN-` continues, `NNN ` ends) off one socket. */
class ReplyReader {
  private buf = '';
  private waiting: { resolve: (code: number) => void; reject: (e: Error) => void; stage: string } | null = null;
  private failure: Error | null = null;

  constructor(sock: net.Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      this.buf += d;
      this.pump();
    });
    sock.on('error', (e) => this.fail(e));
    sock.on('close', () => this.fail(new Error('connection closed')));
  }

  next(stage: string, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
      const done = <T>(f: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        this.waiting = null;
        f(v);
      };
      this.waiting = { resolve: done(resolve), reject: done(reject), stage };
      if (this.failure) this.fail(this.failure);
      else this.pump();
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiting;
    if (w) w.reject(new SmtpError(w.stage, this.failure.message));
  }

  private pump(): void {
    const w = this.waiting;
    if (!w) {
      if (this.buf.length > MAX_REPLY_BYTES) this.fail(new Error(`unasked-for data beyond ${MAX_REPLY_BYTES} bytes`));
      return;
    }
    for (;;) {
      const eol = this.buf.indexOf('\n');
      if (eol < 0) {
        if (this.buf.length > MAX_REPLY_BYTES) this.fail(new Error(`reply line longer than ${MAX_REPLY_BYTES} bytes`));
        return;
      }
      const line = this.buf.slice(0, eol).replace(/\r$/, '');
      this.buf = this.buf.slice(eol + 1);
      const m = /^(\d{3})([ -]|$)/.exec(line);
      if (!m) return this.fail(new Error(`malformed reply line '${line.slice(0, 80)}'`));
      if (m[2] !== '-') return w.resolve(Number(m[1]));
    }
  }
}

const connect = (t: SmtpTarget): Promise<net.Socket> =>
  new Promise((resolve, reject) => {
    const sock = net.connect({ host: t.host, port: t.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new SmtpError('connect', `no connection to ${t.host}:${t.port} within ${t.timeoutMs} ms`));
    }, t.timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      resolve(sock);
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(new SmtpError('connect', `${t.host}:${t.port}: ${e.message}`));
    });
  });

/** Sends one message; resolves when the server accepted it (250 after the dot), throws SmtpError otherwise. */
export async function sendMail(t: SmtpTarget, env: SmtpEnvelope): Promise<void> {
  const sock = await connect(t);
  const replies = new ReplyReader(sock);
  const expect = async (stage: string, want: number, line: string | null): Promise<void> => {
    if (line !== null) sock.write(line, 'latin1');
    const code = await replies.next(stage, t.timeoutMs);
    if (code !== want) throw new SmtpError(stage, `server answered ${code}, expected ${want}`);
  };
  try {
    await expect('greeting', 220, null);
    await expect('HELO', 250, `HELO ${t.helo}\r\n`);
    await expect('MAIL', 250, `MAIL FROM:<${env.from}>\r\n`);
    for (const rcpt of env.to) await expect('RCPT', 250, `RCPT TO:<${rcpt}>\r\n`);
    await expect('DATA', 354, 'DATA\r\n');
    await expect('message', 250, `${env.data}.\r\n`);
    // The message is accepted; QUIT is a courtesy whose answer changes nothing.
    await expect('QUIT', 221, 'QUIT\r\n').catch(() => undefined);
  } finally {
    sock.destroy();
  }
}
