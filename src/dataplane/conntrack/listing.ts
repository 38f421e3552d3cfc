import type { Family, IpAddr } from '../../model/address.js';
import { addrPort, v4Text, v6Text } from '../../model/address.js';
import type { ConnEntry } from '../../model/table.js';
import type { FlowStore } from './flow-store.js';
import { M_PROTO, M_STATE, M_STATE_SHIFT, M_TEMPLATE, W_ADDR, W_DEST, W_EXP, W_LINK, W_META, W_PORTS, W_SVC } from './layout.js';
import { protoName, stateName } from './tcp-states.js';

/** One entry as `ipvsadm -Lc` / /proc/net/ip_vs_conn show it, with the raw fields behind the text. */
export interface ConnView {
  readonly ref: number;
  readonly af: Family;
  /** IP protocol number; 0 (IPPROTO_IP) for a fwmark template. */
  readonly protocol: number;
  /** Kernel protocol name: TCP, UDP, SCTP, IP. */
  readonly proto: string;
  /** Kernel state name; templates show NONE. */
  readonly state: string;
  /** Whole seconds to expiry, rounded down as (timer.expires - jiffies) / HZ. */
  readonly expires: number;
  readonly template: boolean;
  readonly caddr: IpAddr;
  readonly cport: number;
  /** The virtual address; for a fwmark template, the fwmark in its place. */
  readonly vaddr: IpAddr;
  readonly vport: number;
  readonly destId: number;
  readonly service: number;
  /** Template: connections it controls (n_control). Connection: 1 when a template controls it, else 0. */
  readonly control: number;
}

function addrAt(d: Int32Array, o: number, aw: number): IpAddr {
  if (aw === 1) return { af: 4, text: v4Text(d[o] >>> 0) };
  const w = [d[o] >>> 0, d[o + 1] >>> 0, d[o + 2] >>> 0, d[o + 3] >>> 0];
  return { af: 6, text: v6Text(w) };
}

/** Reads row `id` of a store (in use) as a view; `ref` is the table's handle for it. */
export function readView(s: FlowStore, id: number, ref: number, now: number): ConnView {
  const d = s.data;
  const o = id * s.stride;
  const aw = s.addrWords;
  const meta = d[o + W_META];
  const template = (meta & M_TEMPLATE) !== 0;
  const protocol = meta & M_PROTO;
  const left = (d[o + W_EXP] - (Math.floor(now) | 0)) | 0;
  const link = d[o + W_LINK];
  return {
    ref,
    af: aw === 1 ? 4 : 6,
    protocol,
    proto: protoName(protocol),
    state: stateName(protocol, (meta & M_STATE) >>> M_STATE_SHIFT, template),
    expires: left > 0 ? Math.floor(left / 1000) : 0,
    template,
    caddr: addrAt(d, o + W_ADDR, aw),
    cport: d[o + W_PORTS] >>> 16,
    vaddr: addrAt(d, o + W_ADDR + aw, aw),
    vport: d[o + W_PORTS] & 0xffff,
    destId: d[o + W_DEST],
    service: d[o + W_SVC],
    control: template ? link : link === 0 ? 0 : 1,
  };
}

/** Where a destination id points, for the listing's third address. */
export type DestAddr = (id: number) => { readonly addr: IpAddr; readonly port: number } | undefined;

/**
 * Formats a view as model ConnEntry. The destination port follows ip_vs_sched_persist(): a
 * template keyed with vport 0 (fwmark, port-zero or FTP service) was created with dport 0, and an
 * invalidated template shows 65535 like the kernel's rehashed one.
 */
export function toConnEntry(v: ConnView, dest: DestAddr): ConnEntry {
  const d = dest(v.destId);
  const dport = !v.template || !d ? d?.port ?? 0 : v.vport === 0 || v.vport === 0xffff ? v.vport : d.port;
  return {
    proto: v.proto,
    expires: v.expires,
    state: v.state,
    client: addrPort(v.caddr, v.cport),
    virtual: addrPort(v.vaddr, v.vport),
    dest: d ? addrPort(d.addr, dport) : '?',
  };
}
