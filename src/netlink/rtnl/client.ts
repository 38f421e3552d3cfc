import type { Family, IpAddr } from '../../model/address.js';
import { NETLINK_ROUTE, NetlinkSocket } from '../../native/netlink-socket.js';
import { NetlinkEngine, type EngineOptions } from '../engine.js';
import { NetlinkError } from '../errors.js';
import { NLM_F_CREATE, NLM_F_EXCL, type NlMessage } from '../framing.js';
import type { NetlinkTransport } from '../transport.js';
import type { ByteWriter } from '../bytes.js';
import { rtnlPayload } from './codec.js';
import {
  addressFrom, addressRequest, familyOf, linkFrom, neighbourFrom, routeRequest,
  type AddressInfo, type AddressSpec, type LinkInfo, type NeighbourInfo, type RouteSpec,
} from './map.js';
import { AF_UNSPEC, IFA_F, RTM } from './spec.js';

/**
 * rtnetlink requests over the project's netlink engine (NETLINK_ROUTE): links, addresses, neighbours,
 * routes. Kernel refusals reject with NetlinkError carrying the errno name and the kernel's extended-ack text
 * (EEXIST for an address that is already there, EADDRNOTAVAIL for one that is not, ENODEV for a missing
 * interface); replies that do not parse with NetlinkFormatError. Events are RtnlMonitor's (monitor.ts).
 */

export interface RtnlClientOptions extends EngineOptions {
  /** Network namespace file to talk to (/run/netns/NAME); the process's own when absent. */
  readonly netns?: string;
  /** A transport to use instead of a native socket (tests). */
  readonly transport?: NetlinkTransport;
}

function addrText(s: { addr: IpAddr; prefix: number }): string {
  return `${s.addr.text}/${s.prefix}`;
}

export class RtnlClient {
  private constructor(private readonly engine: NetlinkEngine) {}

  static open(opts: RtnlClientOptions = {}): RtnlClient {
    const transport = opts.transport ?? NetlinkSocket.open({ protocol: NETLINK_ROUTE, ...(opts.netns !== undefined ? { netns: opts.netns } : {}) });
    return new RtnlClient(new NetlinkEngine(transport, opts));
  }

  close(): void {
    this.engine.close();
  }

  private dump(type: number, payload: (w: ByteWriter) => void, what: string): Promise<NlMessage[]> {
    return this.engine.request({ type, payload, dump: true, what });
  }

  /** Every link (RTM_GETLINK dump). */
  async links(): Promise<LinkInfo[]> {
    const what = 'listing links';
    const parts = await this.dump(RTM.GETLINK, rtnlPayload('link', { family: AF_UNSPEC }, {}), what);
    return parts.filter((m) => m.type === RTM.NEWLINK).map((m) => linkFrom(m, what));
  }

  /** One link by name: index, MAC, state. Rejects with NetlinkError ENODEV when there is none. */
  async link(name: string): Promise<LinkInfo> {
    const what = `looking up interface ${name}`;
    let replies: NlMessage[];
    try {
      replies = await this.engine.request({ type: RTM.GETLINK, payload: rtnlPayload('link', {}, { ifname: name }), data: true, what });
    } catch (e) {
      if (e instanceof NetlinkError && e.errno === 'ENODEV') throw new NetlinkError('ENODEV', `${what}: no such interface (ENODEV)`, e.extack);
      throw e;
    }
    const m = replies.find((r) => r.type === RTM.NEWLINK);
    if (!m) throw new NetlinkError('ENODEV', `${what}: the kernel answered without a link`);
    return linkFrom(m, what);
  }

  /** Addresses, of one family and interface when asked (the dump is filtered here: older kernels ignore filters). */
  async addresses(filter: { family?: Family; ifindex?: number } = {}): Promise<AddressInfo[]> {
    const what = 'listing addresses';
    const family = filter.family ? familyOf(filter.family) : AF_UNSPEC;
    const parts = await this.dump(RTM.GETADDR, rtnlPayload('addr', { family }, {}), what);
    return parts.filter((m) => m.type === RTM.NEWADDR).map((m) => addressFrom(m, what))
      .filter((a) => (filter.ifindex === undefined || a.ifindex === filter.ifindex) && (!filter.family || a.addr.af === filter.family));
  }

  /**
   * The address an advert leaves from when none is configured, which the VRRPv3 checksum's pseudo-header needs
   * (RFC 5798 §5.2.8): for IPv4 the interface's first primary (not IFA_F_SECONDARY) address, as keepalived
   * takes it (vrrp_if.c IF_ADDR); for IPv6 its link-local address (RFC 5798 §5.1.2.2: the source MUST be
   * the interface's IPv6 link-local address). null when it has none.
   */
  async sourceAddress(ifindex: number, family: Family): Promise<IpAddr | null> {
    const own = await this.addresses({ ifindex, family });
    const pick = family === 4
      ? own.find((a) => (a.flags & IFA_F.SECONDARY) === 0)
      : own.find((a) => a.addr.text.startsWith('fe80:') && (a.flags & (IFA_F.TENTATIVE | IFA_F.DADFAILED)) === 0);
    return pick?.addr ?? null;
  }

  /**
   * Adds an address (RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, as `ip addr add`). One that is already there
   * rejects with EEXIST: whether that matters is the caller's choice (VipManager takes it as done).
   */
  addAddress(s: AddressSpec): Promise<void> {
    const what = `adding ${addrText(s)} to interface ${s.ifindex}`;
    const req = addressRequest(s, what);
    return this.change(RTM.NEWADDR, NLM_F_CREATE | NLM_F_EXCL, rtnlPayload('addr', req.header, req.attrs), what);
  }

  /** Deletes an address (RTM_DELADDR); one that is not there rejects with EADDRNOTAVAIL. */
  deleteAddress(s: AddressSpec): Promise<void> {
    const what = `deleting ${addrText(s)} from interface ${s.ifindex}`;
    const req = addressRequest(s, what);
    return this.change(RTM.DELADDR, 0, rtnlPayload('addr', req.header, req.attrs), what);
  }

  /** The neighbour table (ARP and NDP entries), of one family when asked. */
  async neighbours(family?: Family): Promise<NeighbourInfo[]> {
    const what = 'listing neighbours';
    const parts = await this.dump(RTM.GETNEIGH, rtnlPayload('neigh', { family: family ? familyOf(family) : AF_UNSPEC }, {}), what);
    return parts.filter((m) => m.type === RTM.NEWNEIGH).map((m) => neighbourFrom(m, what)).filter((n): n is NeighbourInfo => n !== null);
  }

  /** Adds a route (RTM_NEWROUTE, CREATE | EXCL, as `ip route add`); an existing one rejects with EEXIST. */
  addRoute(r: RouteSpec): Promise<void> {
    const what = `adding route ${addrText({ addr: r.dst, prefix: r.prefix })}`;
    const req = routeRequest(r, what, 'add');
    return this.change(RTM.NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, rtnlPayload('route', req.header, req.attrs), what);
  }

  /** Deletes a route (RTM_DELROUTE); one that is not there rejects with ESRCH. */
  deleteRoute(r: RouteSpec): Promise<void> {
    const what = `deleting route ${addrText({ addr: r.dst, prefix: r.prefix })}`;
    const req = routeRequest(r, what, 'delete');
    return this.change(RTM.DELROUTE, 0, rtnlPayload('route', req.header, req.attrs), what);
  }

  private async change(type: number, flags: number, payload: (w: ByteWriter) => void, what: string): Promise<void> {
    await this.engine.request({ type, flags, payload, what });
  }
}
