/**
 * The control socket's memory limits, in bytes of the wire (UTF-8), never in UTF-16 string units: a line of
 * '€' is three bytes per character. docs/CONTROL-PROTOCOL.md "Limits" lists them; keep the two in step.
 */
export interface ControlLimits {
  /** One request line; a connection that sends a longer one is closed. */
  readonly maxLineBytes: number;
  /** Input buffered on one connection while it waits its turn: beyond this lvsd stops reading from it. */
  readonly readAheadBytes: number;
  /** Buffered by each connection without drawing on the shared budgets (so lvsadm works while others hog). */
  readonly perConnectionFreeBytes: number;
  /** Input buffered by all connections together, beyond their free bytes. */
  readonly totalInputBytes: number;
  /** Replies queued to all connections together, beyond their free bytes. */
  readonly totalOutputBytes: number;
  /** Connections open at once; more are closed by the server as they arrive. */
  readonly maxConnections: number;
}

export const CONTROL_LIMITS: ControlLimits = {
  maxLineBytes: 16 * 1024 * 1024,
  readAheadBytes: 1024 * 1024,
  perConnectionFreeBytes: 64 * 1024,
  totalInputBytes: 64 * 1024 * 1024,
  totalOutputBytes: 128 * 1024 * 1024,
  maxConnections: 64,
};

/** A shared byte budget: connections draw on it and give back what they release. */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  take(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  give(n: number): void {
    this.used -= n;
  }

  get inUse(): number {
    return this.used;
  }
}

/**
 * One connection's share of a shared budget: its first `free` bytes are its own, the rest are drawn from
 * the shared budget. `hold` fails (and changes nothing) when the shared budget cannot cover the growth.
 */
export class Share {
  private held = 0;

  constructor(private readonly shared: ByteBudget, private readonly free: number) {}

  hold(n: number): boolean {
    const extra = Math.max(0, this.held + n - this.free) - Math.max(0, this.held - this.free);
    if (extra > 0 && !this.shared.take(extra)) return false;
    this.held += n;
    return true;
  }

  release(n: number): void {
    const back = Math.max(0, this.held - this.free) - Math.max(0, this.held - n - this.free);
    this.held -= n;
    if (back > 0) this.shared.give(back);
  }

  get bytes(): number {
    return this.held;
  }

  releaseAll(): void {
    this.release(this.held);
  }
}
