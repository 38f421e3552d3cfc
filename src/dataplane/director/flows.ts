import type { Clock } from '../../ports/clock.js';
import type { ConnEntry, Timeouts } from '../../model/table.js';
import { IPPROTO } from '../../model/protocol.js';
import { addrFold, v4ToU32, v6ToWords } from '../../model/address.js';
import { ConnTable, FlowKey, persistKey, toConnEntry, Dir, TcpState } from '../conntrack/index.js';
import type { SchedDest } from '../sched/types.js';
import type { ServiceTable } from './table.js';
import type { ServiceRuntime } from './service.js';
import type { DestRuntime } from './dest.js';
import { END_STATE, type Flow, type FlowEnd, type FlowKey as FlowAddrs, type FlowOpener, type FlowState } from './flow.js';

const STATE: Readonly<Record<FlowState, TcpState>> = {
  SYN_RECV: TcpState.SYN_RECV,
  ESTABLISHED: TcpState.ESTABLISHED,
  FIN_WAIT: TcpState.FIN_WAIT,
  TIME_WAIT: TcpState.TIME_WAIT,
  CLOSE: TcpState.CLOSE,
};

/**
 * The director's scheduling path for the userspace planes, as net/netfilter/ipvs/ip_vs_core.c
 * ip_vs_schedule() runs it: a persistent service first looks up the client's template, then the
 * scheduler picks; the connection enters the table (InActConn until established) and the counters.
 */
export class DirectorFlows implements FlowOpener {
  private readonly conns: ConnTable;
  private readonly key = new FlowKey();
  private readonly tkey = new FlowKey();
  private readonly live = new Map<number, LiveFlow>();

  /**
   * `evictLive`: at capacity a new client may push out an open relay (the idle one nearest expiry). Off by
   * default: only entries whose relay has ended (kept for their state's timeout) make room, and a new client
   * is refused when none is left, so a flood of new clients cannot cut established ones (issue 11).
   */
  constructor(private readonly table: ServiceTable, private readonly clock: Clock, capacity: number, tcpTimeWait?: number, evictLive = false) {
    this.conns = new ConnTable({
      capacity,
      tcpTimeWait,
      now: clock.now(),
      resolveDest: (id) => table.destById(id),
      onDestChange: (d: SchedDest) => (d as DestRuntime).countersChanged(d as DestRuntime),
      onDrop: (ref) => this.dropped(ref),
      mayEvict: (ref) => evictLive || !this.live.has(ref),
    });
  }

  open(svc: ServiceRuntime, a: FlowAddrs, onExpire: () => void): Flow | null {
    const now = this.clock.now();
    const proto = svc.spec.id.kind === 'addr' ? IPPROTO[svc.spec.id.protocol] : IPPROTO.tcp;
    const k = setKey(this.key, proto, a);
    // A new flow on the 5-tuple of a finished one (port reuse) is scheduled afresh.
    const stale = this.conns.lookup(k);
    if (stale >= 0) {
      this.dropped(stale);
      this.conns.remove(stale);
    }
    let template = -1;
    let dest: DestRuntime | undefined;
    if (svc.spec.persistence > 0) {
      const id = svc.spec.id;
      persistKey(this.tkey, { af: a.client.af, port: id.kind === 'addr' ? id.port : 0, fwmark: id.kind === 'fwmark' ? id.fwmark : 0, netmask: svc.spec.netmask }, k);
      template = this.conns.findTemplate(this.tkey, now);
      if (template >= 0) dest = this.table.destById(this.conns.dest(template));
    }
    if (!dest) {
      const dstV6 = a.vaddr.af === 6 ? a.vaddr.text : undefined;
      const picked = svc.scheduler.schedule({ srcFold: addrFold(a.client), srcPort: a.clientPort, dstFold: addrFold(a.vaddr), dstV6, dstPort: a.vport, now });
      if (!picked) return null;
      dest = picked as DestRuntime;
      if (svc.spec.persistence > 0) template = this.conns.openTemplate(this.tkey, dest.id, svc.index, svc.spec.persistence * 1000, now);
    }
    const ref = this.conns.open(k, dest.id, svc.index, now, false, template);
    if (ref < 0) return null;
    svc.stats.conns++;
    dest.stats.conns++;
    const flow = new LiveFlow(this, ref, svc, dest, proto, onExpire);
    this.live.set(ref, flow);
    if (proto === IPPROTO.tcp) flow.setState('SYN_RECV');
    else this.conns.packet(ref, Dir.INPUT, 0, now);
    return flow;
  }

  /** Runs expiry up to now, then the dest trash's timer (removed real servers nothing refers to go). */
  expire(): void {
    this.conns.expire(this.clock.now());
    this.table.expireTrash();
  }

  setTimeouts(t: Timeouts): void {
    this.conns.setTimeouts(t);
  }

  entries(): ConnEntry[] {
    const out: ConnEntry[] = [];
    const destAddr = (id: number) => {
      const d = this.table.destById(id);
      return d && { addr: d.spec.addr, port: d.spec.port };
    };
    for (const v of this.conns.entries(this.clock.now())) out.push(toConnEntry(v, destAddr));
    return out;
  }

  /** For LiveFlow only: the table operations a flow performs on its own entry. */
  setState(ref: number, s: FlowState): void {
    this.conns.setState(ref, STATE[s], this.clock.now());
  }

  touch(ref: number, proto: number): void {
    if (proto === IPPROTO.tcp) this.conns.touch(ref, this.clock.now());
    else this.conns.packet(ref, Dir.INPUT, 0, this.clock.now());
  }

  forget(ref: number): void {
    this.live.delete(ref);
  }

  private dropped(ref: number): void {
    const f = this.live.get(ref);
    if (!f) return;
    this.live.delete(ref);
    f.expire();
  }
}

class LiveFlow implements Flow {
  private ref: number;
  expired = false;

  constructor(
    private readonly owner: DirectorFlows,
    ref: number,
    readonly service: ServiceRuntime,
    readonly dest: DestRuntime,
    private readonly proto: number,
    private readonly onExpire: () => void,
  ) {
    this.ref = ref;
  }

  setState(state: FlowState): void {
    if (this.ref >= 0) this.owner.setState(this.ref, state);
  }

  inbound(packets: number, bytes: number): void {
    this.service.stats.inPkts += packets;
    this.service.stats.inBytes += bytes;
    this.dest.stats.inPkts += packets;
    this.dest.stats.inBytes += bytes;
  }

  outbound(packets: number, bytes: number): void {
    this.service.stats.outPkts += packets;
    this.service.stats.outBytes += bytes;
    this.dest.stats.outPkts += packets;
    this.dest.stats.outBytes += bytes;
  }

  touch(): void {
    if (this.ref >= 0) this.owner.touch(this.ref, this.proto);
  }

  end(how: FlowEnd): void {
    this.setState(END_STATE[how]);
    this.release();
  }

  release(): void {
    if (this.ref < 0) return;
    this.owner.forget(this.ref);
    this.ref = -1;
  }

  expire(): void {
    this.ref = -1;
    this.expired = true;
    this.onExpire();
  }
}

function setKey(k: FlowKey, proto: number, a: FlowAddrs): FlowKey {
  if (a.client.af === 4) return k.setV4(proto, v4ToU32(a.client.text), a.clientPort, v4ToU32(a.vaddr.text), a.vport);
  return k.setV6(proto, v6ToWords(a.client.text), a.clientPort, v6ToWords(a.vaddr.text), a.vport);
}

