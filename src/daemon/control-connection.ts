import type net from 'node:net';
import type { Logger } from '../ports/logger.js';
import type { ControlResponse } from '../control/protocol.js';
import { Share, type ByteBudget, type ControlLimits } from './control-budget.js';

/** Answers one request line with one response; it must not throw (errors are responses). */
export type RequestHandler = (line: string) => Promise<ControlResponse>;

const NL = 0x0a;

/** Shared by every connection of one control socket. */
export interface ConnectionContext {
  readonly handle: RequestHandler;
  readonly log: Logger;
  readonly limits: ControlLimits;
  readonly input: ByteBudget;
  readonly output: ByteBudget;
}

/**
 * One control-socket client. Requests are answered one at a time, in order; the next waits until the reply
 * before it has left for the kernel (the socket's 'drain'), and while a connection has a request waiting and
 * `readAheadBytes` buffered, lvsd stops reading from it. So a client that pipelines and never reads its
 * replies fills its own socket buffers and blocks there, not lvsd's memory. Bytes are counted as they came
 * off the wire (Buffers, UTF-8), never as decoded string length.
 *
 * A connection that breaks a limit is closed with one log line; refused requests are counted and reported in
 * the same single line when the connection ends, so a client cannot make lvsd log once per line it sends.
 */
export class ControlConnection {
  private readonly chunks: Buffer[] = [];
  private newlines = 0;
  private readonly inShare: Share;
  private readonly outShare: Share;
  private busy = false;
  private closed = false;
  private refused = 0;
  private firstRefusal = '';
  private offence: string | null = null;

  constructor(private readonly sock: net.Socket, private readonly ctx: ConnectionContext) {
    this.inShare = new Share(ctx.input, ctx.limits.perConnectionFreeBytes);
    this.outShare = new Share(ctx.output, ctx.limits.perConnectionFreeBytes);
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('error', () => undefined);
    sock.on('close', () => this.onClose());
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (!this.inShare.hold(chunk.length)) {
      return this.offend(`control clients together buffer more than ${this.ctx.limits.totalInputBytes} bytes of requests`);
    }
    this.chunks.push(chunk);
    for (let i = chunk.indexOf(NL); i >= 0; i = chunk.indexOf(NL, i + 1)) this.newlines++;
    if (this.newlines === 0 && this.inShare.bytes > this.ctx.limits.maxLineBytes) {
      return this.offend(`request line longer than ${this.ctx.limits.maxLineBytes} bytes`);
    }
    this.pump();
  }

  /** Starts the next request if none is running; reading pauses while enough is buffered. */
  private pump(): void {
    while (!this.busy && !this.closed && this.newlines > 0) {
      const line = this.takeLine();
      if (line.every((b) => b === 0x20 || b === 0x09 || b === 0x0d)) continue;
      this.busy = true;
      void this.ctx.handle(line.toString('utf8')).then((res) => this.reply(res));
    }
    if (this.closed) return;
    if (this.busy && this.inShare.bytes >= this.ctx.limits.readAheadBytes) this.sock.pause();
    else this.sock.resume();
  }

  /** Removes the first line (without its newline) from the buffered chunks. */
  private takeLine(): Buffer {
    let k = 0;
    let at = -1;
    for (; k < this.chunks.length; k++) {
      at = this.chunks[k]!.indexOf(NL);
      if (at >= 0) break;
    }
    const last = this.chunks[k]!;
    const parts = this.chunks.splice(0, k);
    parts.push(last.subarray(0, at));
    const rest = last.subarray(at + 1);
    if (rest.length > 0) this.chunks.unshift(rest);
    else this.chunks.shift();
    this.newlines--;
    const line = Buffer.concat(parts);
    this.inShare.release(line.length + 1);
    return line;
  }

  private reply(res: ControlResponse): void {
    if (this.closed) return;
    if (!res.ok && !('index' in res)) this.noteRefusal(res.error.message);
    const text = Buffer.from(`${JSON.stringify(res)}\n`, 'utf8');
    if (!this.outShare.hold(text.length)) {
      return this.offend(`replies queued to control clients exceed ${this.ctx.limits.totalOutputBytes} bytes (this client does not read them)`);
    }
    const flushed = this.sock.write(text, () => {
      if (!this.closed) this.outShare.release(text.length);
    });
    this.busy = false;
    if (flushed) this.pump();
    else this.sock.once('drain', () => this.pump());
  }

  private noteRefusal(message: string): void {
    if (this.refused++ === 0) this.firstRefusal = message.slice(0, 200);
  }

  /** Closes the connection for breaking a limit: one error reply (if it will read it) and one log line. */
  private offend(why: string): void {
    if (this.closed) return;
    this.closed = true;
    this.offence = why;
    this.sock.end(`${JSON.stringify({ id: null, ok: false, error: { message: `${why}; connection closed` } })}\n`);
    // A client that does not read would keep the descriptor open forever waiting for end() to flush.
    this.sock.destroy();
  }

  private onClose(): void {
    this.closed = true;
    this.inShare.releaseAll();
    this.outShare.releaseAll();
    this.chunks.length = 0;
    if (this.offence !== null) {
      this.ctx.log.warn({ refusedRequests: this.refused, firstRefusal: this.firstRefusal || undefined }, `control client closed: ${this.offence}`);
    } else if (this.refused > 0) {
      this.ctx.log.warn({ refusedRequests: this.refused, firstRefusal: this.firstRefusal }, 'control client sent requests that were refused');
    }
  }
}
