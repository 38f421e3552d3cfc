import type { IpAddr } from '../model/address.js';
import { LvsdError } from '../model/errors.js';
import { ipToBytes } from '../netlink/rtnl/address-bytes.js';

/**
 * The frames a new VRRP master sends so that hosts on the link move the virtual addresses to it at once
 * instead of waiting for their ARP / neighbour entries to expire (RFC 5798 §6.4.1 (2), §6.4.2). Pure: bytes in,
 * bytes out; src/platform/announcer.ts sends them.
 */

const ETH_P_IP = 0x0800;
const ETH_P_ARP = 0x0806;
const ETH_P_IPV6 = 0x86dd;
const BROADCAST = Buffer.alloc(6, 0xff);
/** ff02::1, all nodes, and its Ethernet mapping 33:33 + low 32 bits (RFC 2464 §7). */
const ALL_NODES = Buffer.from('ff020000000000000000000000000001', 'hex');
const ALL_NODES_MAC = Buffer.from('333300000001', 'hex');
const IPPROTO_ICMPV6 = 58;
const ND_NEIGHBOR_ADVERT = 136;
/** RFC 4861 §4.4 flag bits, in the first byte of the reserved word. */
const NA_ROUTER = 0x80;
const NA_OVERRIDE = 0x20;
const ND_OPT_TARGET_LINKADDR = 2;

function ethernet(dst: Uint8Array, src: Uint8Array, type: number, payloadLength: number): Buffer {
  const f = Buffer.alloc(14 + payloadLength);
  f.set(dst, 0);
  f.set(src, 6);
  f.writeUInt16BE(type, 12);
  return f;
}

function checkMac(mac: Uint8Array): void {
  if (mac.length !== 6) throw new LvsdError('LVSD_E_ANNOUNCE_MAC', `a MAC address is 6 bytes, got ${mac.length}`);
}

/**
 * A gratuitous ARP request as keepalived sends it (keepalived vrrp/vrrp_arp.c send_gratuitous_arp_immediate):
 * broadcast, sender and target protocol address both the VIP, sender hardware address `mac`, target hardware
 * address all ones. A request rather than a reply because every host takes a broadcast request's sender
 * mapping into an existing entry (Linux net/ipv4/arp.c arp_process: a request with sip == tip is "is_garp"
 * and overrides the entry's lock time).
 */
export function garpFrame(mac: Uint8Array, vip: IpAddr): Buffer {
  checkMac(mac);
  if (vip.af !== 4) throw new LvsdError('LVSD_E_ANNOUNCE_FAMILY', `gratuitous ARP is for IPv4 addresses, not ${vip.text}`);
  const f = ethernet(BROADCAST, mac, ETH_P_ARP, 28);
  const ip = ipToBytes(vip);
  f.writeUInt16BE(1, 14); // ar_hrd ARPHRD_ETHER
  f.writeUInt16BE(ETH_P_IP, 16); // ar_pro
  f[18] = 6; // ar_hln
  f[19] = 4; // ar_pln
  f.writeUInt16BE(1, 20); // ar_op ARPOP_REQUEST
  f.set(mac, 22); // sender hardware address
  f.set(ip, 28); // sender protocol address
  f.fill(0xff, 32, 38); // target hardware address, as keepalived fills it
  f.set(ip, 38); // target protocol address
  return f;
}

/** RFC 1071 ones'-complement sum of 16-bit words, folded; a trailing odd byte is padded with zero. */
export function onesSum(data: Uint8Array, start = 0): number {
  let sum = start;
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length % 2) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export interface NaOptions {
  /** The R flag: set when this host forwards (keepalived sets it when the interface has forwarding on). */
  readonly router?: boolean;
}

/**
 * An unsolicited neighbour advertisement (RFC 4861 §4.4, §7.2.6): from the VIP to all nodes, hop limit 255,
 * S=0, O=1 so receivers replace the link-layer address they hold, the target link-layer address option
 * carrying `mac`, the ICMPv6 checksum over the IPv6 pseudo-header (RFC 8200 §8.1). As keepalived sends it
 * (keepalived vrrp/vrrp_ndisc.c ndisc_send_unsolicited_na_immediate).
 */
export function unsolicitedNaFrame(mac: Uint8Array, vip: IpAddr, opts: NaOptions = {}): Buffer {
  checkMac(mac);
  if (vip.af !== 6) throw new LvsdError('LVSD_E_ANNOUNCE_FAMILY', `neighbour advertisements are for IPv6 addresses, not ${vip.text}`);
  const icmpLength = 24 + 8; // NA header and target, one 8-byte option
  const f = ethernet(ALL_NODES_MAC, mac, ETH_P_IPV6, 40 + icmpLength);
  const target = ipToBytes(vip);
  f.writeUInt32BE(0x60000000, 14); // version 6, traffic class 0, flow label 0
  f.writeUInt16BE(icmpLength, 18);
  f[20] = IPPROTO_ICMPV6;
  f[21] = 255; // RFC 4861 §7.1.2: receivers drop ND messages with another hop limit
  f.set(target, 22); // source: the VIP itself, an address of the sending interface
  f.set(ALL_NODES, 38);
  const icmp = 54;
  f[icmp] = ND_NEIGHBOR_ADVERT;
  f[icmp + 4] = NA_OVERRIDE | (opts.router ? NA_ROUTER : 0);
  f.set(target, icmp + 8);
  f[icmp + 24] = ND_OPT_TARGET_LINKADDR;
  f[icmp + 25] = 1; // length in units of 8 bytes
  f.set(mac, icmp + 26);
  const pseudo = Buffer.alloc(40);
  f.copy(pseudo, 0, 22, 54); // source and destination
  pseudo.writeUInt32BE(icmpLength, 32);
  pseudo[39] = IPPROTO_ICMPV6;
  const sum = onesSum(f.subarray(icmp), onesSum(pseudo));
  f.writeUInt16BE(~sum & 0xffff, icmp + 2);
  return f;
}
