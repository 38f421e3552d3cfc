/**
 * lvsd-genhash's run: one GET as keepalived's genhash makes it (check/check_genhash.c, whose checker is
 * check_http.c's own), printing what genhash prints — the body's MD5, or the checker's message for the
 * step that failed (timeout_epilog's debug_msg on stdout), exit status 0 either way — and with -v the
 * header and body dumps (http_process_response, dump_digest) and the response time.
 */
import type net from 'node:net';
import type { HttpUrl } from '../model/config-checkers.js';
import type { ProbeResult } from '../ports/prober.js';
import { HttpResponse, contentLength } from '../health/checkers/http-response.js';
import { hostHeader, httpRequest } from '../health/checkers/http-request.js';
import { endpoint } from '../platform/probe/connection.js';
import { connectTcp, converse, isResult } from '../platform/probe/stream.js';
import { handshake } from '../platform/probe/http.js';
import { tlsOptions } from '../platform/probe/tls-options.js';
import type { GenhashOptions } from './genhash-args.js';
import { dumpBuffer } from './hexdump.js';

const DELIM = (s: string): string => `-----------------------[${s}]-----------------------\n`;
const HTTP_HEADER_HEXA = DELIM('    HTTP Header Buffer    ');
const HTTP_HEADER_ASCII = DELIM(' HTTP Header Ascii Buffer ');
const HTML_HEADER_HEXA = DELIM('        HTML Buffer        ');
const HTML_HASH = DELIM('    HTML hash resulting    ');
const HTML_HASH_FINAL = DELIM(' HTML hash final resulting ');
/** genhash's connection_to is UINT_MAX without -t: as good as none. */
const NO_TIMEOUT_S = 2_000_000;

export interface GenhashIo {
  out(s: string): void;
  err(s: string): void;
  /** Microseconds on a monotonic clock, for -v's response time. */
  micros(): number;
}

/** Tracks what -v prints as the bytes go into the response. */
class Verbose {
  private head = Buffer.alloc(0);
  private bodySeen = 0;
  private limit: number | null = null;

  constructor(private readonly io: GenhashIo, private readonly response: HttpResponse) {}

  data(chunk: Buffer): void {
    if (this.response.gotHeader) return this.body(chunk);
    this.io.out(HTTP_HEADER_HEXA);
    this.head = Buffer.concat([this.head, chunk]);
    const end = this.head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const header = this.head.subarray(0, end + 4);
    this.io.out(dumpBuffer(header) + HTTP_HEADER_ASCII + `${header.toString('latin1')}\n`);
    this.limit = contentLength(header.toString('latin1'));
    const rest = this.head.subarray(end + 4);
    if (rest.length && (this.limit === null || this.limit > 0)) {
      this.io.out(HTML_HEADER_HEXA);
      this.body(rest);
    }
  }

  private body(chunk: Buffer): void {
    const left = this.limit === null ? chunk.length : Math.max(0, this.limit - this.bodySeen);
    if (left > 0) this.io.out(dumpBuffer(chunk.subarray(0, Math.min(left, chunk.length))));
    this.bodySeen += chunk.length;
  }

  digest(hex: string): void {
    this.io.out(`\n${HTML_HASH}${dumpBuffer(Buffer.from(hex, 'hex'))}${HTML_HASH_FINAL}`);
  }
}

/**
 * The checker's message for a connect, handshake or read failure (check_http.c timeout_epilog calls):
 * before the first byte of the response the wait is http_response_thread's ("WEB read"), after it
 * http_read_thread's or ssl_read_thread's.
 */
function message(step: 'connect' | 'tls' | 'read' | 'first-read', r: ProbeResult, ssl: boolean): string {
  const timeout = !r.up && r.reason === 'timeout';
  if (step === 'first-read' && timeout) return 'Timeout WEB read';
  if (step === 'connect') return timeout ? 'Timeout connecting' : !r.up && r.reason === 'unreachable' ? 'HTTP/SSL_CHECK - network unreachable' : 'Connection failed';
  if (step === 'tls') return timeout ? 'Timeout connecting' : 'SSL handshake/communication error connecting to';
  if (timeout) return ssl ? 'Timeout SSL read' : 'Timeout HTTP read';
  return ssl ? 'SSL read error from' : 'Read error with';
}

async function fetchOnce(o: GenhashOptions, io: GenhashIo): Promise<void> {
  const conn = { connectIp: o.server, connectPort: o.port, bindto: null, bindPort: 0, bindIf: null, connectTimeout: o.timeout ?? NO_TIMEOUT_S, fwmark: 0 };
  const ep = endpoint(conn);
  if (typeof ep === 'string') return io.out(`${ep}\n`);
  // genhash judges nothing: every status is taken and the body always hashed.
  const url: HttpUrl = { loc: { file: 'genhash', line: 0 }, path: o.url, digest: null, statusCodes: [[0, 999]], virtualhost: o.virtualhost, regex: null };
  const signal = new AbortController().signal;
  const raw = await connectTcp(ep, signal);
  if (isResult(raw)) return io.out(`${message('connect', raw, o.ssl)}\n`);
  let socket: net.Socket = raw;
  if (o.ssl) {
    const opts = tlsOptions(null);
    if (typeof opts === 'string') {
      raw.destroy();
      return io.out(`Cannot initialize SSL context.\n`);
    }
    const secure = await handshake(raw, ep, opts, o.sni ? o.virtualhost : null, signal);
    if (isResult(secure)) {
      raw.destroy();
      return io.out(`${message('tls', secure, true)}\n`);
    }
    socket = secure;
  }
  socket.write(httpRequest(o.url, o.protocol, hostHeader(o.virtualhost, o.server, o.port)));
  const response = new HttpResponse(url, true);
  const verbose = o.verbose ? new Verbose(io, response) : null;
  let ended = false;
  let got = false;
  const r = await converse(socket, ep.timeoutMs, signal, {
    data: (c) => {
      got = true;
      verbose?.data(c);
      return response.feed(c);
    },
    end: () => { ended = true; return response.end(); },
  });
  raw.destroy();
  if (!ended && response.gotHeader) return io.out(`${message('read', r, o.ssl)}\n`);
  if (!response.gotHeader) {
    // A header longer than genhash's buffer is never parsed either: keepalived reports no data.
    if (!ended && !(!r.up && r.reason === 'protocol')) return io.out(`${message(got ? 'read' : 'first-read', r, o.ssl)}\n`);
    return io.err('no data received from remote webserver\n');
  }
  const hex = response.digest();
  verbose?.digest(hex);
  io.out(`${hex}\n`);
}

export async function runGenhash(o: GenhashOptions, io: GenhashIo): Promise<number> {
  const start = io.micros();
  await fetchOnce(o, io);
  if (o.verbose) io.out(`\nGlobal response time for [${o.url}] = ${Math.round(io.micros() - start)} usecs\n`);
  return 0;
}
