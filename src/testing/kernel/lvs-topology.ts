import type { Lab } from '../netns.js';
import { ipIn, Segment, sysctls } from './lab.js';

/**
 * The LVS lab inside the guest, one per forwarding method, all addresses from 198.18.0.0/15 (RFC 2544
 * benchmarking space) and living only in namespaces built here:
 *
 *   client 198.18.0.2 ── router 198.18.0.1
 *                          ├─ lan 198.18.1.0/24 (bridge in the router, which is .1)
 *                          │    ├─ director .2, VIP .100
 *                          │    │    └─ NAT: back 198.18.2.0/24 (bridge in the director, .1) ─ rs1 .11, rs2 .12
 *                          │    └─ DR: rs1 .11, rs2 .12
 *                          └─ tun 198.18.3.0/24 (bridge in the router, .1)
 *                               └─ TUN: rs1 .11, rs2 .12, one routed hop from the director
 *
 * The router is its own namespace because in DR and TUN the real servers answer from the VIP straight to
 * the client: a director that also routed would see its own VIP as a packet's source and drop it
 * (martian source). The per-method real-server setup is the one the LVS HOWTO and ipvsadm(8) describe.
 */

export type LvsMode = 'nat' | 'dr' | 'tun';

export const VIP = '198.18.1.100';
export const CLIENT = '198.18.0.2';

export interface LvsLab {
  client: string;
  director: string;
  /** Real-server namespaces with the address the director's table uses for each. */
  servers: Array<{ ns: string; name: string; addr: string }>;
}

const SERVER_NET: Record<LvsMode, string> = { nat: '198.18.2', dr: '198.18.1', tun: '198.18.3' };

export function buildLvsLab(lab: Lab, mode: LvsMode): LvsLab {
  const client = lab.host('client');
  const router = lab.host('router');
  const director = lab.host('director');
  lab.link(client, `${CLIENT}/24`, router, '198.18.0.1/24');
  ipIn(client, 'route', 'add', 'default', 'via', '198.18.0.1');
  sysctls(lab, router, { 'net.ipv4.ip_forward': '1' });

  const lan = new Segment(router, 'lan', '198.18.1.1/24');
  lan.attach(director, 'lan0', '198.18.1.2/24');
  // The director owns the VIP on the LAN: it answers the router's ARP for it in every mode.
  ipIn(director, 'addr', 'add', `${VIP}/32`, 'dev', 'lan0');
  ipIn(director, 'route', 'add', 'default', 'via', '198.18.1.1');

  const net = SERVER_NET[mode];
  let segment: Segment;
  let gateway: string;
  if (mode === 'nat') {
    // Replies must come back through the director to be un-NATed, so it is the servers' gateway.
    segment = new Segment(director, 'back', `${net}.1/24`);
    gateway = `${net}.1`;
    sysctls(lab, director, { 'net.ipv4.ip_forward': '1' });
  } else if (mode === 'dr') {
    segment = lan;
    gateway = '198.18.1.1';
  } else {
    segment = new Segment(router, 'tun', `${net}.1/24`);
    gateway = `${net}.1`;
  }

  const servers = [1, 2].map((i) => {
    const name = `rs${i}`;
    const ns = lab.host(name);
    const addr = `${net}.${10 + i}`;
    segment.attach(ns, 'eth0', `${addr}/24`);
    ipIn(ns, 'route', 'add', 'default', 'via', gateway);
    if (mode === 'dr') holdVipOnLoopback(lab, ns);
    if (mode === 'tun') holdVipOnTunnel(lab, ns);
    return { ns, name, addr };
  });
  return { client, director, servers };
}

/**
 * DR: the server accepts frames for the VIP, so it holds the VIP on lo; it must neither answer ARP for it
 * (arp_ignore=1: only for addresses on the asking interface) nor use it as the source of its own ARP
 * requests (arp_announce=2), or the router would send VIP traffic to it instead of the director.
 */
function holdVipOnLoopback(lab: Lab, ns: string): void {
  sysctls(lab, ns, {
    'net.ipv4.conf.all.arp_ignore': '1',
    'net.ipv4.conf.all.arp_announce': '2',
    'net.ipv4.conf.eth0.arp_ignore': '1',
    'net.ipv4.conf.eth0.arp_announce': '2',
  });
  ipIn(ns, 'addr', 'add', `${VIP}/32`, 'dev', 'lo');
}

/**
 * TUN: the director wraps each request in IPIP to the server's own address; the server's tunl0 (made by
 * the ipip module in every namespace) unwraps it and must own the VIP. The inner packet arrives on tunl0
 * while the route back to the client leaves by eth0, so reverse-path filtering must be off for it.
 */
function holdVipOnTunnel(lab: Lab, ns: string): void {
  ipIn(ns, 'addr', 'add', `${VIP}/32`, 'dev', 'tunl0');
  ipIn(ns, 'link', 'set', 'tunl0', 'up');
  sysctls(lab, ns, {
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.conf.default.rp_filter': '0',
    'net.ipv4.conf.tunl0.rp_filter': '0',
  });
}
