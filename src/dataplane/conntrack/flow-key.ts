import type { Family } from '../../model/address.js';
import { M_TEMPLATE } from './layout.js';

/**
 * A 5-tuple (protocol, client addr:port, virtual addr:port), reused by the caller across packets so
 * the hot path allocates nothing. Addresses are host-order 32-bit words (v4: word 0 only), stored
 * as int32 to match the table's Int32Array rows.
 */
export class FlowKey {
  af: Family = 4;
  /** Protocol number, plus M_TEMPLATE for a persistence template key. */
  meta = 0;
  /** cport << 16 | vport, as int32. */
  ports = 0;
  readonly c = new Int32Array(4);
  readonly v = new Int32Array(4);

  setV4(proto: number, caddr: number, cport: number, vaddr: number, vport: number): this {
    this.af = 4;
    this.meta = proto & 0xff;
    this.ports = (cport << 16) | (vport & 0xffff);
    this.c[0] = caddr;
    this.v[0] = vaddr;
    return this;
  }

  setV6(proto: number, caddr: ArrayLike<number>, cport: number, vaddr: ArrayLike<number>, vport: number): this {
    this.af = 6;
    this.meta = proto & 0xff;
    this.ports = (cport << 16) | (vport & 0xffff);
    for (let i = 0; i < 4; i++) { this.c[i] = caddr[i]; this.v[i] = vaddr[i]; }
    return this;
  }

  get proto(): number { return this.meta & 0xff; }
  get cport(): number { return this.ports >>> 16; }
  get vport(): number { return this.ports & 0xffff; }
  get template(): boolean { return (this.meta & M_TEMPLATE) !== 0; }
}

/** What ip_vs_sched_persist() reads from the service. */
export interface PersistService {
  readonly af: Family;
  /** svc->port: 0 for fwmark and port-zero services. */
  readonly port: number;
  /** svc->fwmark, 0 when the service is not fwmark-based. */
  readonly fwmark: number;
  /** v4: mask as a host-order u32; v6: prefix length (svc->netmask). */
  readonly netmask: number;
}

const FTPPORT = 21;

/**
 * Builds the persistence template key for a connection key, as net/netfilter/ipvs/ip_vs_core.c
 * ip_vs_sched_persist() does: client address masked by the service netmask, client port 0, and
 * - packet to the service port: <proto, snet, 0, vaddr, vport> (vport 0 for an FTP service, port 21);
 * - otherwise (fwmark or port-zero service): vport 0, and for fwmark services protocol IPPROTO_IP
 *   with the fwmark in place of the virtual address.
 */
export function persistKey(out: FlowKey, svc: PersistService, conn: FlowKey): FlowKey {
  const vport = conn.vport;
  let proto = conn.proto;
  let tvport = 0;
  let fwmarkAddr = false;
  if (vport === svc.port) {
    if (svc.port !== FTPPORT) tvport = vport;
  } else if (svc.fwmark !== 0) {
    proto = 0;
    fwmarkAddr = true;
  }
  out.af = conn.af;
  out.meta = proto | M_TEMPLATE;
  out.ports = tvport;
  for (let i = 0; i < 4; i++) {
    out.c[i] = conn.c[i] & maskWord(conn.af, svc.netmask, i);
    out.v[i] = fwmarkAddr ? (i === 0 ? svc.fwmark : 0) : conn.v[i];
  }
  return out;
}

/** Word i of the netmask: v4 uses the u32 mask in word 0; v6 is ipv6_addr_prefix() by prefix length. */
function maskWord(af: Family, netmask: number, i: number): number {
  if (af === 4) return i === 0 ? netmask | 0 : 0;
  const bits = Math.max(0, Math.min(32, netmask - 32 * i));
  return bits === 0 ? 0 : (-1 << (32 - bits)) | 0;
}
