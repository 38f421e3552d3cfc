/**
 * HTTP_GET and SSL_GET (keepalived check/check_http.c, check_ssl.c): each url in turn on its own
 * connection, the request written once connected, the response judged as it streams in until the
 * server closes. The check is up when every url is; the first failing url ends the attempt (as
 * keepalived's http_handle_response → timeout_epilog stops the url walk).
 */
import type net from 'node:net';
import tls, { type ConnectionOptions } from 'node:tls';
import type { HttpCheck, HttpUrl } from '../../model/config-checkers.js';
import type { ProbeResult } from '../../ports/prober.js';
import { hostHeader, httpRequest } from '../../health/checkers/http-request.js';
import { HttpResponse } from '../../health/checkers/http-response.js';
import { down, up } from '../../health/checkers/result.js';
import { endpoint, type Endpoint } from './connection.js';
import { connectTcp, converse, isResult } from './stream.js';
import { aborted, socketFailure } from './errors.js';

/** SSL_GET's handshake on a connected socket, bounded by connect_timeout; SNI is the url's virtualhost. */
export function handshake(raw: net.Socket, ep: Endpoint, opts: ConnectionOptions, servername: string | null, signal: AbortSignal): Promise<tls.TLSSocket | ProbeResult> {
  return new Promise((resolve) => {
    const s = tls.connect({ ...opts, socket: raw, ...(servername ? { servername } : {}) });
    const timer = setTimeout(() => done(down('timeout', `TLS handshake: no progress in ${ep.timeoutMs} ms`)), ep.timeoutMs);
    const onAbort = (): void => done(aborted());
    s.on('error', (e) => done(socketFailure('TLS handshake', e)));
    s.once('secureConnect', () => done(s));
    signal.addEventListener('abort', onAbort);
    function done(v: tls.TLSSocket | ProbeResult): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      if (isResult(v)) s.destroy();
      resolve(v);
    }
  });
}

export interface HttpResponseSink {
  /** Called with the finished response (genhash reads its digest). */
  (response: HttpResponse): void;
}

/** One url: connect, (handshake), send, judge. */
export async function probeUrl(check: HttpCheck, url: HttpUrl, tlsOpts: ConnectionOptions | null, signal: AbortSignal,
  sink?: HttpResponseSink, genhash = false): Promise<ProbeResult> {
  const ep = endpoint(check.conn);
  if (typeof ep === 'string') return down('error', ep);
  const response = new HttpResponse(url, genhash);
  if (response.regexError) return down('error', response.regexError);
  const raw = await connectTcp(ep, signal);
  if (isResult(raw)) return raw;
  let socket: net.Socket = raw;
  if (tlsOpts) {
    const sni = check.enableSni ? url.virtualhost : null;
    const secure = await handshake(raw, ep, tlsOpts, sni, signal);
    if (isResult(secure)) {
      raw.destroy();
      return secure;
    }
    socket = secure;
  }
  socket.write(httpRequest(url.path, check.httpProtocol, hostHeader(url.virtualhost, check.conn.connectIp, check.conn.connectPort)));
  const result = await converse(socket, ep.timeoutMs, signal, { data: (c) => response.feed(c), end: () => response.end() });
  raw.destroy();
  sink?.(response);
  return result;
}

export async function probeHttp(check: HttpCheck, tlsOpts: ConnectionOptions | string | null, signal: AbortSignal): Promise<ProbeResult> {
  if (typeof tlsOpts === 'string') return down('tls', tlsOpts);
  const details: string[] = [];
  for (const url of check.urls) {
    const r = await probeUrl(check, url, check.type === 'SSL_GET' ? tlsOpts ?? {} : null, signal);
    details.push(`url ${url.path}: ${r.detail}`);
    if (!r.up) return { ...r, detail: details[details.length - 1] ?? '' };
  }
  return up(details.join('; '));
}
