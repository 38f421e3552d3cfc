/**
 * Judging one HTTP_GET / SSL_GET url's response as it streams in (keepalived check/check_http.c
 * http_process_response, http_handle_response; lib/html.c for the header parsing), in bounded memory:
 * the header is held up to keepalived's buffer size, the body only goes through a streaming MD5 and the
 * regex window, never kept.
 */
import { createHash, type Hash } from 'node:crypto';
import type { ProbeResult } from '../../ports/prober.js';
import type { HttpUrl } from '../../model/config-checkers.js';
import { compileRegex, RegexScanner, WINDOW } from './http-regex.js';
import { down, up } from './result.js';

/** keepalived reads the header into MAX_BUFFER_LENGTH − 1 bytes; one that does not end there is never parsed. */
export const MAX_HEADER = WINDOW;
const END_OF_HEADER = Buffer.from('\r\n\r\n');

/**
 * lib/html.c extract_status_code: the three digits between the first space and the next space of the
 * status line; anything else (no space, two digits, "200\r\n" without reason phrase) is 0.
 */
export function statusCode(head: string): number {
  let i = 0;
  while (i < head.length && head[i] !== ' ' && head[i] !== '\r') i++;
  if (head[i] !== ' ') return 0;
  i++;
  if (i + 3 >= head.length || head[i] === ' ' || head[i + 3] !== ' ') return 0;
  const digits = head.slice(i, i + 3);
  return /^\d{3}$/.test(digits) ? Number(digits) : 0;
}

/** lib/html.c extract_content_length: case-sensitive "Content-Length:", a number ending the line, else none. */
export function contentLength(head: string): number | null {
  const at = head.indexOf('Content-Length:');
  if (at < 0) return null;
  const m = /^[ \t]*(\d+)(?:[\r\n]|$)/.exec(head.slice(at + 'Content-Length:'.length));
  return m ? Number(m[1]) : null;
}

/** True when code falls in one of the url's status_code ranges. */
export function statusAccepted(url: HttpUrl, code: number): boolean {
  return url.statusCodes.some(([lo, hi]) => code >= lo && code <= hi);
}

/**
 * One url's response. feed() each piece as it arrives; it returns a failure as soon as one is certain
 * (a header too long, a status that is not accepted), else null. end() gives the verdict at the end of
 * the stream (keepalived judges at EOF: no header → status → digest → regex).
 */
export class HttpResponse {
  private head: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private status = 0;
  private length: number | null = null;
  /** Body bytes received (keepalived rx_bytes); the digest covers at most Content-Length of them. */
  private received = 0;
  private readonly md5: Hash | null;
  private readonly scanner: RegexScanner | null;
  /** Set when the url's regex cannot be compiled: the check then fails with it. */
  readonly regexError: string | null = null;

  constructor(private readonly url: HttpUrl, genhash = false) {
    this.md5 = url.digest !== null || genhash ? createHash('md5') : null;
    const re = url.regex ? compileRegex(url.regex) : null;
    if (typeof re === 'string') this.regexError = re;
    this.scanner = re instanceof RegExp && url.regex ? new RegexScanner(re, url.regex.minOffset, url.regex.maxOffset) : null;
  }

  feed(chunk: Uint8Array): ProbeResult | null {
    if (this.headerDone) {
      this.body(chunk);
      return null;
    }
    this.head = Buffer.concat([this.head, chunk]);
    const end = this.head.indexOf(END_OF_HEADER);
    if (end < 0 || end + 4 > MAX_HEADER) {
      return this.head.length >= MAX_HEADER ? down('protocol', `no end of the HTTP header in the first ${MAX_HEADER} bytes`) : null;
    }
    const text = this.head.toString('latin1', 0, end + 4);
    this.headerDone = true;
    this.status = statusCode(text);
    this.length = contentLength(text);
    const rest = this.head.subarray(end + 4);
    this.head = Buffer.alloc(0);
    if (!statusAccepted(this.url, this.status)) return this.badStatus();
    this.body(rest);
    return null;
  }

  private body(chunk: Uint8Array): void {
    if (this.md5 && (this.length === null || this.length > this.received)) {
      const take = this.length === null ? chunk.length : Math.min(chunk.length, this.length - this.received);
      this.md5.update(chunk.subarray(0, take));
    }
    this.received += chunk.length;
    this.scanner?.feed(chunk);
  }

  private badStatus(): ProbeResult {
    return down('status', this.status ? `HTTP status ${this.status} is not accepted` : 'no HTTP status code in the response');
  }

  private hex: string | null = null;

  /** The body's MD5 as lower-case hex (genhash); final once the stream has ended. */
  digest(): string {
    this.hex ??= this.md5 ? this.md5.digest('hex') : '';
    return this.hex;
  }

  /** Whether any header arrived (genhash prints "no data received" otherwise). */
  get gotHeader(): boolean {
    return this.headerDone;
  }

  end(): ProbeResult {
    if (!this.headerDone) return down('protocol', this.head.length ? 'the response ended inside the HTTP header' : 'no data received');
    if (!statusAccepted(this.url, this.status)) return this.badStatus();
    let what = `HTTP status ${this.status}`;
    if (this.url.digest !== null) {
      const got = this.digest();
      if (got !== this.url.digest) return down('digest', `MD5 digest ${got} is not ${this.url.digest}`);
      what = 'MD5 digest';
    }
    if (this.url.regex) {
      if (this.regexError) return down('error', this.regexError);
      if (this.scanner?.matched === this.url.regex.noMatch) {
        return down('regex', `regex ${JSON.stringify(this.url.regex.pattern)} ${this.url.regex.noMatch ? 'matched' : 'did not match'}`);
      }
      what = 'regex match';
    }
    return up(`${what} ok (${this.received} body bytes)`);
  }
}
