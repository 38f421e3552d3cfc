import type { Family, IpAddr } from '../model/address.js';

/**
 * How VRRP advertisements leave and arrive (RFC 5798 §5.1: IP protocol 112, TTL / hop limit 255, to the
 * group 224.0.0.18 / ff02::12 or, with unicast peers, to each peer). The pure protocol (src/vrrp) encodes and
 * decodes the VRRP message itself; a transport carries it and reports what the IP layer knows about each packet,
 * which the receive checks of RFC 5798 §7.1 need (TTL 255, the source address, the destination).
 */

/** One received advertisement. */
export interface VrrpPacket {
  /** The VRRP message alone (no IP header), owned by the receiver. */
  readonly bytes: Uint8Array;
  readonly src: IpAddr;
  readonly dst: IpAddr;
  /** IPv4 TTL / IPv6 hop limit as received; -1 when the system did not say. */
  readonly ttl: number;
  /** The interface it arrived on. */
  readonly ifindex: number;
}

export interface VrrpChannelOptions {
  readonly family: Family;
  /** The instance's interface: adverts go out and are taken in there only. */
  readonly interface: string;
  /**
   * The multicast group to join and send to: 224.0.0.18 / ff02::12 when absent (vrrp_mcast_group4/6 when
   * configured); null for an instance that talks to unicast peers only.
   */
  readonly group?: IpAddr | null;
  /** mcast_src_ip / unicast_src_ip: the source address adverts carry (one of this host's). */
  readonly source?: IpAddr | null;
  /** kernel_rx_buf_size: the receive buffer to ask for; the system's default when absent. */
  readonly rcvbufBytes?: number | null;
  readonly onPacket: (p: VrrpPacket) => void;
  /** A receive failure that did not close the channel (a malformed packet, a socket error). */
  readonly onError?: (e: Error) => void;
}

/** An open channel on one interface and family. */
export interface VrrpChannel {
  readonly ifindex: number;
  /** The receive buffer the system granted. */
  readonly rcvbufBytes: number;
  /** Sends one VRRP message to the group, or to `dest` (a unicast peer); throws on a system refusal. */
  send(bytes: Uint8Array, dest?: IpAddr): void;
  /** Idempotent; nothing is delivered after it returns. */
  close(): void;
}

export interface VrrpTransport {
  /** Throws, naming the interface and what failed, when the channel cannot be opened. */
  open(opts: VrrpChannelOptions): VrrpChannel;
}

/** RFC 5798 §5.1.1.2 / §5.1.2.2: the IANA-assigned VRRP multicast groups. */
export const VRRP_GROUP_V4 = '224.0.0.18';
export const VRRP_GROUP_V6 = 'ff02::12';
