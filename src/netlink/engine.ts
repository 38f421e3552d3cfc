import { ByteWriter } from './bytes.js';
import { NetlinkError, NetlinkFormatError } from './errors.js';
import {
  NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_DUMP, NLM_F_DUMP_INTR,
  NLM_F_REQUEST, parseDatagram, parseDone, parseError, writeMessage, type NlMessage, type Payload,
} from './framing.js';
import type { NetlinkTransport } from './transport.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import { SystemClock } from '../platform/clock.js';

/**
 * Requests and replies over one netlink socket.
 *
 * - Every request carries NLM_F_REQUEST and a sequence number; replies are matched by seq and by nlmsg_pid
 *   (ours), so multicast notifications that reuse another process's seq are never taken for replies.
 * - Requests queued in the same tick go out together, many messages per datagram. The kernel handles the
 *   messages of a datagram in order, within the send, and answers a failure whether or not NLM_F_ACK was
 *   asked for (net/netlink/af_netlink.c netlink_rcv_skb), so one failing does not stop the rest. Only the
 *   last message of a datagram (and every dump or data request) asks for an ack: when that answer comes, the
 *   quiet requests sent before it in the datagram without an error of their own have succeeded. A table load
 *   of 110,000 changes then reads a few hundred replies, not 110,000 acks.
 * - What is in flight is bounded by the receive buffer: each request reserves the bytes its replies may take
 *   (an ack skb, a reply skb, a dump skb), so a batch never overruns the socket by itself.
 * - A socket runs one dump at a time (a second gets EBUSY: af_netlink.c __netlink_dump_start), so dumps
 *   queue; single requests may pass a waiting dump.
 * - On an overrun (ENOBUFS) the replies of what is in flight may be lost: those requests fail with ENOBUFS,
 *   an unfinished dump is abandoned (its remaining parts are dropped when they come), and the socket carries on.
 * - A request the kernel never answers fails with ETIMEDOUT once the socket has been silent for at least
 *   timeoutMs (and under twice that): silence is seen by a timer, not by reading the clock per datagram,
 *   because a clock read is a system call where there is no vDSO (user-mode Linux).
 */

export interface NlRequest {
  readonly type: number;
  /** Extra nlmsg flags; REQUEST is always set, DUMP when `dump`, ACK where the engine needs the answer. */
  readonly flags?: number;
  /** Everything after the nlmsghdr, or a function writing it (encoded only when it is sent). */
  readonly payload: Payload;
  readonly dump?: boolean;
  /** Whether a (non-dump) reply carries data, not only an ack: it reserves a whole reply skb. */
  readonly data?: boolean;
  /** Names the request in error messages (a function: built only when needed). */
  readonly what: string | (() => string);
  /**
   * Takes each data message as it arrives, instead of their being collected for the end: a dump of 10,000
   * services is then never held as messages. What it throws fails the request, and the rest of a dump is dropped.
   */
  readonly onReply?: (m: NlMessage) => void;
}

/** A change that answers with nothing but an ack: it need not ask for one (see the header). */
function isQuiet(r: NlRequest): boolean {
  return !r.dump && !r.data;
}

function describe(r: NlRequest): string {
  return typeof r.what === 'function' ? r.what() : r.what;
}

export interface EngineOptions {
  /** Most requests in flight, whatever the buffer allows. */
  readonly maxInFlight?: number;
  /** Largest datagram of batched requests. */
  readonly maxDatagramBytes?: number;
  readonly timeoutMs?: number;
  /** The watchdog's timers; the real clock unless a test steps a FakeClock. */
  readonly clock?: Clock;
}

/** Receive-buffer bytes reserved per request: an ack is a small skb; a reply or dump skb is up to 32 KiB. */
const COST_ACK = 1024;
const COST_DATA = 16384;
const COST_DUMP = 32768;

interface Pending {
  readonly req: NlRequest;
  readonly cost: number;
  seq: number;
  replies: NlMessage[];
  interrupted: boolean;
  done: Done;
  /** Quiet requests sent before this one in its datagram: they succeeded if this one is answered first. */
  quietBefore: Pending[] | null;
}

/** How a request ends: with its data messages (all parts of a dump), or an error. */
export type Done = (err: Error | null, replies: NlMessage[]) => void;
const NONE: NlMessage[] = [];

/** Calls a request's callback; what it throws surfaces as an uncaught exception, not inside the engine. */
function finish(p: Pending, err: Error | null, replies: NlMessage[]): void {
  try {
    p.done(err, replies);
  } catch (e) {
    queueMicrotask(() => {
      throw e;
    });
  }
}

/** A FIFO with O(1) removal at the head (110,000 queued requests must not shift an array). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get size(): number { return this.items.length - this.head; }
  push(v: T): void { this.items.push(v); }
  peek(): T | undefined { return this.items[this.head]; }
  shift(): T | undefined {
    const v = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }
}

export class NetlinkEngine {
  private seq = 0;
  private readonly queue = new Fifo<Pending>();
  private readonly dumps = new Fifo<Pending>();
  private readonly inflight = new Map<number, Pending>();
  private reserved = 0;
  private dumpRunning = false;
  /** seq of a dump failed by an overrun whose remaining parts the kernel will still send */
  private abandoned: number | null = null;
  private readonly budget: number;
  private readonly maxInFlight: number;
  private readonly maxDatagram: number;
  private readonly timeoutMs: number;
  private readonly writer = new ByteWriter(64 * 1024);
  private scheduled = false;
  private referenced = false;
  /** Bumped by every send and receive; the watchdog compares it with what it saw when it was armed. */
  private activity = 0;
  private activitySeen = 0;
  private readonly clock: Clock;
  private timer: TimerHandle | null = null;
  private closed = false;
  private notificationHandler: ((m: NlMessage) => void) | null = null;
  private errorHandler: ((e: NetlinkError | NetlinkFormatError) => void) | null = null;

  constructor(private readonly transport: NetlinkTransport, opts: EngineOptions = {}) {
    // The kernel drops replies past sk_rcvbuf; keep half of it for multicast traffic and skb overhead slack.
    this.budget = Math.max(COST_DUMP, Math.floor(transport.rcvbufBytes / 2));
    this.maxInFlight = opts.maxInFlight ?? 4096;
    this.maxDatagram = opts.maxDatagramBytes ?? 32 * 1024;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.clock = opts.clock ?? new SystemClock();
    transport.onReceive((batch) => this.receive(batch));
  }

  /** Messages that are not replies to us: multicast notifications, stray acks. */
  onNotification(handler: (m: NlMessage) => void): void {
    this.notificationHandler = handler;
  }

  /** Socket-level failures (overrun, malformed datagram), after the requests they hit have been failed. */
  onError(handler: (e: NetlinkError | NetlinkFormatError) => void): void {
    this.errorHandler = handler;
  }

  /** Resolves with the data messages of the reply (all parts for a dump); rejects with NetlinkError. */
  request(req: NlRequest): Promise<NlMessage[]> {
    return new Promise<NlMessage[]>((resolve, reject) => {
      this.submit(req, (err, replies) => (err ? reject(err) : resolve(replies)));
    });
  }

  /** request() without a promise per request, for batches of many thousands: `done` is called exactly once. */
  submit(req: NlRequest, done: Done): void {
    if (this.closed) {
      done(new NetlinkError('EBADF', `${describe(req)}: netlink socket closed`), NONE);
      return;
    }
    const cost = req.dump ? COST_DUMP : req.data ? COST_DATA : COST_ACK;
    (req.dump ? this.dumps : this.queue).push({ req, cost, seq: 0, replies: [], interrupted: false, done, quietBefore: null });
    this.schedule();
  }

  /** Requests waiting to be sent plus those in flight. */
  get outstanding(): number {
    return this.queue.size + this.dumps.size + this.inflight.size;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const err = new NetlinkError('EBADF', 'netlink socket closed with requests outstanding');
    for (const p of [...this.inflight.values(), ...this.queue.drain(), ...this.dumps.drain()]) finish(p, err, NONE);
    this.inflight.clear();
    if (this.timer) this.clock.clearTimer(this.timer);
    this.transport.close();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private nextSeq(): number {
    do this.seq = (this.seq + 1) >>> 0; while (this.seq === 0 || this.inflight.has(this.seq));
    return this.seq;
  }

  /** The next request allowed to go now, or null. */
  private next(): Pending | null {
    if (this.inflight.size >= this.maxInFlight) return null;
    const dumpReady = !this.dumpRunning && this.abandoned === null && this.dumps.size > 0;
    const p = dumpReady ? this.dumps.peek()! : this.queue.peek();
    if (!p || (this.inflight.size > 0 && this.reserved + p.cost > this.budget)) return null;
    return p;
  }

  private pump(): void {
    if (this.closed) return;
    for (let p = this.next(); p; p = this.next()) {
      const w = this.writer;
      w.reset();
      const sent: Pending[] = [];
      let lastAt = 0;
      for (; p; p = this.next()) {
        const at = w.length;
        const seq = this.nextSeq();
        const flags = NLM_F_REQUEST | (isQuiet(p.req) ? 0 : NLM_F_ACK | (p.req.dump ? NLM_F_DUMP : 0)) | (p.req.flags ?? 0);
        try {
          writeMessage(w, p.req.type, flags, seq, p.req.payload);
        } catch (e) {
          // A value that cannot be encoded fails its own request only, before it is sent.
          w.truncate(at);
          (p.req.dump ? this.dumps : this.queue).shift();
          finish(p, e instanceof Error ? e : new Error(String(e)), NONE);
          continue;
        }
        if (sent.length > 0 && w.length > this.maxDatagram) {
          w.truncate(at); // it goes first in the next datagram
          break;
        }
        (p.req.dump ? this.dumps : this.queue).shift();
        if (p.req.dump) this.dumpRunning = true;
        p.seq = seq;
        this.inflight.set(seq, p);
        this.reserved += p.cost;
        sent.push(p);
        lastAt = at;
      }
      if (sent.length === 0) continue;
      this.closeDatagram(w, lastAt, sent);
      this.activity++;
      try {
        this.transport.send(w.view());
      } catch (e) {
        const err = e instanceof NetlinkError ? e : new NetlinkError('EIO', String(e));
        for (const q of sent) this.settle(q, new NetlinkError(err.errno, `${describe(q.req)}: ${err.message}`));
      }
    }
    this.arm(); // also when nothing could be sent: a dump waiting on an abandoned one needs the watchdog
    this.updateRef();
  }

  /** The last message of a datagram always asks for an ack; its answer vouches for the quiet ones before it. */
  private closeDatagram(w: ByteWriter, lastAt: number, sent: Pending[]): void {
    const last = sent[sent.length - 1]!;
    const v = w.view();
    const flagsAt = lastAt + 6; // nlmsghdr: len u32, type u16, flags u16 (little-endian: ACK is in the low byte)
    v[flagsAt] = v[flagsAt]! | NLM_F_ACK;
    const quiet = sent.filter((q, i) => i < sent.length - 1 && isQuiet(q.req));
    last.quietBefore = quiet.length > 0 ? quiet : null;
  }

  private receive(batch: readonly (Buffer | NetlinkError)[]): void {
    this.activity++;
    for (const item of batch) {
      if (item instanceof NetlinkError) {
        this.fail(item);
        continue;
      }
      let msgs: NlMessage[];
      try {
        msgs = parseDatagram(item);
      } catch (e) {
        this.fail(e instanceof NetlinkFormatError ? e : new NetlinkFormatError(String(e)));
        continue;
      }
      for (const m of msgs) this.dispatch(m);
    }
    this.pump();
  }

  private dispatch(m: NlMessage): void {
    const p = m.pid === this.transport.portId ? this.inflight.get(m.seq) : undefined;
    if (!p) {
      if (this.abandoned !== null && m.seq === this.abandoned && m.pid === this.transport.portId) {
        if (m.type === NLMSG_DONE || m.type === NLMSG_ERROR) this.abandoned = null;
        return;
      }
      this.notificationHandler?.(m);
      return;
    }
    try {
      switch (m.type) {
        case NLMSG_NOOP:
          return;
        case NLMSG_OVERRUN:
          this.fail(new NetlinkError('ENOBUFS', 'netlink reported NLMSG_OVERRUN'));
          return;
        case NLMSG_ERROR: {
          const st = parseError(m);
          this.settle(p, st.error === 0 ? undefined : NetlinkError.fromKernel(st.error, describe(p.req), st.extack));
          this.vouch(p);
          return;
        }
        case NLMSG_DONE: {
          const st = parseDone(m);
          if (st.error !== 0) this.settle(p, NetlinkError.fromKernel(st.error, describe(p.req), st.extack));
          else if (p.interrupted) this.settle(p, new NetlinkError('EINTR', `${describe(p.req)}: the dump was interrupted by a concurrent change; retry`));
          else this.settle(p);
          this.vouch(p);
          return;
        }
        default:
          if (m.flags & NLM_F_DUMP_INTR) p.interrupted = true;
          if (p.req.onReply) this.handOver(p, m);
          else p.replies.push(m);
      }
    } catch (e) {
      this.settle(p, e instanceof Error ? e : new NetlinkFormatError(String(e)));
    }
  }

  private handOver(p: Pending, m: NlMessage): void {
    try {
      p.req.onReply!(m);
    } catch (e) {
      // the kernel goes on sending the dump's parts (and DONE) all the same: drop them, as after an overrun
      if (p.req.dump) this.abandoned = p.seq;
      throw e;
    }
  }

  private settle(p: Pending, err?: Error): void {
    if (!this.inflight.delete(p.seq)) return;
    this.reserved -= p.cost;
    if (p.req.dump) this.dumpRunning = false;
    finish(p, err ?? null, err ? NONE : p.replies);
  }

  /** The kernel answered p, so it has handled every message before p in p's datagram: the quiet ones succeeded. */
  private vouch(p: Pending): void {
    const quiet = p.quietBefore;
    if (!quiet) return;
    p.quietBefore = null;
    for (const q of quiet) this.settle(q);
  }

  /** Fails everything in flight: after an overrun or a bad datagram their replies may be gone. */
  private fail(e: NetlinkError | NetlinkFormatError): void {
    for (const p of [...this.inflight.values()]) {
      if (p.req.dump && e instanceof NetlinkError && e.errno !== 'ETIMEDOUT') this.abandoned = p.seq;
      const what = e instanceof NetlinkError && e.errno === 'ENOBUFS'
        ? `${describe(p.req)}: netlink receive buffer overrun (ENOBUFS); the reply was lost and the request may or may not have taken effect`
        : `${describe(p.req)}: ${e.message}`;
      this.settle(p, e instanceof NetlinkError ? new NetlinkError(e.errno, what) : new NetlinkFormatError(what));
    }
    this.errorHandler?.(e);
  }

  /**
   * The timer exists only while something is outstanding (updateRef clears it). It need not hold the event
   * loop (SystemClock's timers do not): the transport is referenced for exactly that time.
   */
  private arm(): void {
    if (this.timer || this.outstanding === 0) return;
    this.activitySeen = this.activity;
    this.timer = this.clock.setTimer(this.timeoutMs, () => this.watchdog());
  }

  private watchdog(): void {
    this.timer = null;
    if (this.activity === this.activitySeen) {
      if (this.inflight.size > 0) this.fail(new NetlinkError('ETIMEDOUT', `no reply from the kernel in ${this.timeoutMs} ms`));
      this.abandoned = null; // what is left of an abandoned dump is not coming either
    }
    this.pump();
  }

  private updateRef(): void {
    const busy = this.inflight.size + this.queue.size + this.dumps.size > 0;
    if (!busy && this.timer) {
      this.clock.clearTimer(this.timer);
      this.timer = null;
    }
    if (busy !== this.referenced) {
      this.referenced = busy;
      this.transport.ref(busy);
    }
  }
}
