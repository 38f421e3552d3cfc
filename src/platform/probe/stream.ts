/**
 * A TCP (or TLS) conversation bounded the way keepalived bounds one (core/layer4.c tcp_connect with
 * connection_to, then each read registered with the same timeout): connect within connect_timeout,
 * then every read within connect_timeout of the previous one. The socket is destroyed whatever happens.
 */
import net from 'node:net';
import type { ProbeResult } from '../../ports/prober.js';
import { down } from '../../health/checkers/result.js';
import type { Endpoint } from './connection.js';
import { aborted, socketFailure } from './errors.js';

/** What a protocol does with the bytes: a result ends the conversation, null reads on. */
export interface StreamHandler {
  data(chunk: Buffer): ProbeResult | null;
  /** The peer closed its side (keepalived's read of 0). */
  end(): ProbeResult;
}

interface Settle<T> {
  finish(v: T | ProbeResult): void;
  /** Progress: the timeout starts again. */
  touch(): void;
}

/** Settles once: the first of the wired outcome, a socket error, the timeout or the abort. */
function settleOnce<T>(socket: net.Socket, signal: AbortSignal, timeoutMs: number, what: string,
  wire: (s: Settle<T>) => void): Promise<T | ProbeResult> {
  return new Promise((resolve) => {
    let done = false;
    const timer = setTimeout(() => finish(down('timeout', `${what}: no progress in ${timeoutMs} ms`)), timeoutMs);
    const onAbort = (): void => finish(aborted());
    const onError = (e: unknown): void => finish(socketFailure(what, e));
    function finish(v: T | ProbeResult): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      resolve(v);
    }
    if (signal.aborted) return finish(aborted());
    signal.addEventListener('abort', onAbort);
    socket.on('error', onError);
    wire({ finish, touch: () => timer.refresh() });
  });
}

export function isResult(v: unknown): v is ProbeResult {
  return typeof v === 'object' && v !== null && 'up' in v && typeof (v as { up: unknown }).up === 'boolean';
}

/** A connected socket, or the failure to get one. On failure the socket is already destroyed. */
export async function connectTcp(ep: Endpoint, signal: AbortSignal): Promise<net.Socket | ProbeResult> {
  const socket = new net.Socket();
  socket.on('error', () => { /* reported through settleOnce; a late error must not crash the process */ });
  const r = await settleOnce<net.Socket>(socket, signal, ep.timeoutMs, 'connect', ({ finish }) => {
    socket.once('connect', () => finish(socket));
    socket.connect({ host: ep.host, port: ep.port, family: ep.family, localAddress: ep.localAddress, localPort: ep.localPort });
  });
  if (isResult(r)) socket.destroy();
  return r;
}

/** Runs handler over the socket's bytes until it decides, the peer ends, or a read times out. */
export async function converse(socket: net.Socket, timeoutMs: number, signal: AbortSignal, handler: StreamHandler): Promise<ProbeResult> {
  const r = await settleOnce<ProbeResult>(socket, signal, timeoutMs, 'read', ({ finish, touch }) => {
    socket.on('data', (chunk: Buffer) => {
      touch();
      const v = handler.data(chunk);
      if (v) finish(v);
    });
    socket.once('end', () => finish(handler.end()));
    socket.once('close', () => finish(handler.end()));
  });
  socket.removeAllListeners('data');
  socket.destroy();
  return r;
}
