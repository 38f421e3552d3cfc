import dgram from 'node:dgram';
import type { ServiceRuntime } from '../../dataplane/director/service.js';
import type { FlowOpener, Flow } from '../../dataplane/director/flow.js';
import { parseIp, type IpAddr } from '../../model/address.js';
import { stripMapped } from './tcp.js';
import type { FdBudget } from './fd-budget.js';

export interface UdpListenerDeps {
  readonly flows: FlowOpener;
  readonly budget: FdBudget;
  readonly onError: (err: Error, context: string) => void;
}

interface Session {
  readonly key: string;
  readonly flow: Flow;
  readonly upstream: dgram.Socket;
}

/**
 * A UDP virtual service: one session per client address:port, each with its own socket towards the
 * scheduled real server so replies find their way back. A session lives as long as its connection-table
 * entry (UDP timeout, refreshed by traffic), like an IPVS UDP connection. With one-packet scheduling
 * (ops) every datagram is scheduled on its own and its session ends after the reply window.
 *
 * A session costs one descriptor, its upstream socket, and no fewer is possible for a socket plane: the real
 * server answers to that socket's address:port, and nothing else tells which client a reply is for (IPVS
 * keeps that mapping in its connection entry and rewrites packets; sockets cannot). Replies leave through the
 * service's own socket, so sessions end with their service: a removed UDP service's sessions are closed.
 */
export class UdpServiceListener {
  private readonly sock: dgram.Socket;
  private readonly sessions = new Map<string, Session>();
  private bound = false;

  constructor(private readonly svc: ServiceRuntime, private readonly vaddr: IpAddr, private readonly vport: number, private readonly deps: UdpListenerDeps) {
    this.sock = dgram.createSocket({ type: vaddr.af === 6 ? 'udp6' : 'udp4', reuseAddr: false });
    this.sock.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    this.sock.on('error', (e) => deps.onError(e, `udp listener ${vaddr.text}:${vport}`));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sock.once('error', reject);
      this.sock.bind({ address: this.vaddr.text, port: this.vport, exclusive: true }, () => {
        this.sock.off('error', reject);
        this.bound = true;
        this.deps.budget.holdListener();
        resolve();
      });
    });
  }

  /** Sessions never outlive the service (see above), so nothing is left busy. */
  readonly busy = false;

  /** Ends every session and closes the service's socket at once; nothing here waits for a client. */
  close(): Promise<void> {
    for (const s of [...this.sessions.values()]) this.end(s);
    if (this.bound) {
      this.bound = false;
      this.sock.close();
      this.deps.budget.releaseListener();
    }
    return Promise.resolve();
  }

  private receive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}|${rinfo.port}`;
    let s = this.sessions.get(key);
    if (s && (s.flow.expired || this.svc.spec.ops)) {
      this.end(s);
      s = undefined;
    }
    if (!s) {
      const client = parseIp(stripMapped(rinfo.address));
      if (!client) return;
      s = this.start(key, client, rinfo);
      if (!s) return;
    }
    s.flow.inbound(1, msg.length);
    s.flow.touch();
    const d = s.flow.dest.spec;
    s.upstream.send(msg, d.port, d.addr.text);
  }

  private start(key: string, client: IpAddr, rinfo: dgram.RemoteInfo): Session | undefined {
    // Past the budget the datagram is dropped, as IPVS drops one it cannot schedule.
    if (!this.deps.budget.take('udp', 1)) return undefined;
    const flow = this.deps.flows.open(this.svc, { client, clientPort: rinfo.port, vaddr: this.vaddr, vport: this.vport }, () => {
      const cur = this.sessions.get(key);
      if (cur) this.end(cur);
    });
    if (!flow) {
      this.deps.budget.give('udp', 1);
      return undefined;
    }
    const upstream = dgram.createSocket(flow.dest.spec.addr.af === 6 ? 'udp6' : 'udp4');
    upstream.on('error', () => undefined);
    upstream.on('message', (reply) => {
      flow.outbound(1, reply.length);
      flow.touch();
      this.sock.send(reply, rinfo.port, rinfo.address);
    });
    const s = { key, flow, upstream };
    this.sessions.set(key, s);
    return s;
  }

  private end(s: Session): void {
    if (this.sessions.get(s.key) !== s) return;
    this.sessions.delete(s.key);
    s.upstream.close();
    this.deps.budget.give('udp', 1);
    s.flow.release();
  }
}
