import type { IpAddr } from '../model/address.js';

/**
 * Announcing that virtual addresses have moved to this host (RFC 5798 §6.4.1 (2) / §6.4.2): a gratuitous ARP
 * for an IPv4 address, an unsolicited neighbour advertisement for an IPv6 one. How many and how often is the
 * VRRP instance's decision (vrrp_garp_master_repeat, vrrp_garp_interval…); this sends one.
 */
export interface Announcer {
  /** One announcement of `vip` out of `ifname`, from `mac` (a virtual MAC) or the interface's own MAC. */
  announce(ifname: string, vip: IpAddr, mac?: Uint8Array): void;
  close(): void;
}
