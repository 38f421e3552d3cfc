import net from 'node:net';
import type { ServiceRuntime } from '../../dataplane/director/service.js';
import type { FlowOpener, Flow } from '../../dataplane/director/flow.js';
import type { Timeouts } from '../../model/table.js';
import { parseIp, type IpAddr } from '../../model/address.js';
import type { FdBudget } from './fd-budget.js';

export interface TcpListenerDeps {
  readonly flows: FlowOpener;
  readonly timeouts: () => Timeouts;
  readonly budget: FdBudget;
  readonly onError: (err: Error, context: string) => void;
}

/**
 * Listens on a TCP virtual service and relays each client to a scheduled real server: both directions
 * piped (so backpressure holds), half-close passed through, and any failure on one side resets the other,
 * so a dead real server costs the client a reset, never a hang.
 */
export class TcpServiceListener {
  private readonly server: net.Server;
  /** Open relays: client socket → real-server socket. */
  private readonly open = new Map<net.Socket, net.Socket>();

  constructor(private readonly svc: ServiceRuntime, private readonly vaddr: IpAddr, private readonly vport: number, private readonly deps: TcpListenerDeps) {
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (c) => this.accept(c));
    this.server.on('error', (e) => deps.onError(e, `listener ${vaddr.text}:${vport}`));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (e: Error) => reject(e);
      this.server.once('error', fail);
      this.server.listen({ host: this.vaddr.text, port: this.vport, exclusive: true }, () => {
        this.server.off('error', fail);
        this.deps.budget.holdListener();
        resolve();
      });
    });
  }

  /** Relays still open (a removed service's keep running until they end). */
  get busy(): boolean {
    return this.open.size > 0;
  }

  /**
   * Stops accepting at once: the listening socket is closed before this returns, so the port is free. Never
   * waits for relays (server.close's callback would wait for every client to hang up: `lvsadm -D` and reloads
   * then stalled, issue 11). Relays carry on unless `drop` is set, which closes both sides of each at once
   * (as the kernel would when the process exits: FIN, or RST where data was left unread).
   */
  close(drop = false): Promise<void> {
    if (drop) {
      for (const [c, u] of this.open) {
        u.destroy();
        c.destroy();
      }
    }
    if (this.server.listening) {
      this.server.close();
      this.deps.budget.releaseListener();
    }
    return Promise.resolve();
  }

  private accept(c: net.Socket): void {
    const client = parseIp(stripMapped(c.remoteAddress ?? ''));
    if (!client || c.remotePort === undefined) {
      c.destroy();
      return;
    }
    c.on('error', () => undefined);
    // Two descriptors per relay (client and real server); past the budget the client is reset, as IPVS
    // answers a SYN it cannot schedule.
    if (!this.deps.budget.take('tcp', 2)) {
      c.resetAndDestroy();
      return;
    }
    const flow = this.deps.flows.open(this.svc, { client, clientPort: c.remotePort, vaddr: this.vaddr, vport: this.vport }, () => {
      c.destroy();
    });
    if (!flow) {
      this.deps.budget.give('tcp', 2);
      c.resetAndDestroy();
      return;
    }
    this.relay(c, flow);
  }

  private relay(c: net.Socket, flow: Flow): void {
    const spec = flow.dest.spec;
    const u = net.connect({ host: spec.addr.text, port: spec.port, allowHalfOpen: true, noDelay: true });
    this.open.set(c, u);
    let ended = 0;
    let reset = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.open.delete(c);
      this.deps.budget.give('tcp', 2);
      flow.end(ended >= 2 && !reset ? 'clean' : 'reset');
    };
    const halfClosed = () => {
      ended++;
      if (ended === 1 && !done) {
        flow.setState('FIN_WAIT');
        const t = this.deps.timeouts().tcpFin * 1000;
        c.setTimeout(t);
        u.setTimeout(t);
      }
    };
    u.on('connect', () => {
      if (done) return;
      flow.setState('ESTABLISHED');
      const t = this.deps.timeouts().tcp * 1000;
      c.setTimeout(t);
      u.setTimeout(t);
    });
    c.on('data', (b: Buffer) => flow.inbound(1, b.length));
    u.on('data', (b: Buffer) => flow.outbound(1, b.length));
    c.on('end', halfClosed);
    u.on('end', halfClosed);
    // One side failing or idling out resets the other: no half-dead relays.
    const abort = (other: net.Socket) => () => {
      reset = true;
      if (!other.destroyed) other.resetAndDestroy();
    };
    u.on('error', abort(c));
    c.on('error', abort(u));
    u.on('timeout', () => { reset = true; u.destroy(); c.resetAndDestroy(); });
    c.on('timeout', () => { reset = true; c.destroy(); u.resetAndDestroy(); });
    c.on('close', () => { if (u.destroyed) finish(); else if (!u.writableEnded) u.end(); });
    u.on('close', () => { if (c.destroyed) finish(); else if (!c.writableEnded) c.end(); });
    c.pipe(u);
    u.pipe(c);
  }
}

/** A dual-stack listener reports v4 clients as ::ffff:a.b.c.d. */
export function stripMapped(a: string): string {
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
