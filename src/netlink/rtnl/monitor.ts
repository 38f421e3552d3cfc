import { NETLINK_ROUTE, NetlinkSocket } from '../../native/netlink-socket.js';
import { NetlinkError, NetlinkFormatError } from '../errors.js';
import { parseDatagram, type NlMessage } from '../framing.js';
import type { NetlinkTransport } from '../transport.js';
import { addressFrom, linkFrom, neighbourFrom, type AddressInfo, type LinkInfo, type NeighbourInfo } from './map.js';
import { RTM, RTMGRP } from './spec.js';

/**
 * rtnetlink events on a socket of their own (so a burst of them cannot overrun the buffer a request's reply
 * needs): links going up and down (what track_interface watches), addresses coming and going (a VIP removed
 * behind our back), neighbour entries changing. A receive overrun (ENOBUFS) means events were lost; it is
 * reported as an `overrun` event, after which the consumer reads the state afresh.
 */

export type RtnlEvent =
  | { readonly kind: 'link'; readonly deleted: boolean; readonly link: LinkInfo }
  | { readonly kind: 'address'; readonly deleted: boolean; readonly address: AddressInfo }
  | { readonly kind: 'neighbour'; readonly deleted: boolean; readonly neighbour: NeighbourInfo }
  | { readonly kind: 'overrun' };

export interface RtnlMonitorOptions {
  readonly links?: boolean;
  readonly addresses?: boolean;
  readonly neighbours?: boolean;
  readonly onEvent: (e: RtnlEvent) => void;
  /** A message that does not parse; the monitor carries on. */
  readonly onError?: (e: Error) => void;
  readonly netns?: string;
  /** Receive buffer to ask for (the socket's default otherwise); small ones overrun sooner (tests). */
  readonly rcvbufBytes?: number;
  /** A transport to use instead of a native socket (tests); it must already be in the groups. */
  readonly transport?: NetlinkTransport;
}

function decode(m: NlMessage): RtnlEvent | null {
  switch (m.type) {
    case RTM.NEWLINK: case RTM.DELLINK:
      return { kind: 'link', deleted: m.type === RTM.DELLINK, link: linkFrom(m, 'link event') };
    case RTM.NEWADDR: case RTM.DELADDR:
      return { kind: 'address', deleted: m.type === RTM.DELADDR, address: addressFrom(m, 'address event') };
    case RTM.NEWNEIGH: case RTM.DELNEIGH: {
      const n = neighbourFrom(m, 'neighbour event');
      return n ? { kind: 'neighbour', deleted: m.type === RTM.DELNEIGH, neighbour: n } : null;
    }
    default:
      return null;
  }
}

export class RtnlMonitor {
  private closed = false;

  private constructor(private readonly transport: NetlinkTransport) {}

  static open(o: RtnlMonitorOptions): RtnlMonitor {
    const groups = (o.links ? RTMGRP.LINK : 0) | (o.neighbours ? RTMGRP.NEIGH : 0) |
      (o.addresses ? RTMGRP.IPV4_IFADDR | RTMGRP.IPV6_IFADDR : 0);
    const transport = o.transport ?? NetlinkSocket.open({
      protocol: NETLINK_ROUTE, groups,
      ...(o.netns !== undefined ? { netns: o.netns } : {}),
      ...(o.rcvbufBytes !== undefined ? { rcvbufBytes: o.rcvbufBytes } : {}),
    });
    let monitor: RtnlMonitor | null = null;
    transport.onReceive((batch) => {
      for (const item of batch) {
        if (monitor?.closed) return; // closed by a handler earlier in this batch: nothing more
        if (item instanceof NetlinkError) {
          if (item.errno === 'ENOBUFS') o.onEvent({ kind: 'overrun' });
          else o.onError?.(item);
          continue;
        }
        let msgs: NlMessage[];
        try {
          msgs = parseDatagram(item);
        } catch (e) {
          o.onError?.(e instanceof Error ? e : new NetlinkFormatError(String(e)));
          continue;
        }
        for (const m of msgs) {
          if (monitor?.closed) return;
          let ev: RtnlEvent | null;
          try {
            ev = decode(m);
          } catch (e) {
            o.onError?.(e instanceof Error ? e : new NetlinkFormatError(String(e)));
            continue;
          }
          if (ev) o.onEvent(ev);
        }
      }
    });
    transport.ref(true); // a monitor is a reason to keep running until it is closed
    monitor = new RtnlMonitor(transport);
    return monitor;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close();
  }
}
