import { v4Text, v4ToU32, v6Text, v6ToWords, type Family, type IpAddr } from '../../model/address.js';
import { NetlinkFormatError } from '../errors.js';

/**
 * Addresses as rtnetlink and the wire carry them: 4 bytes for IPv4, 16 for IPv6, network order (IFA_ADDRESS,
 * IFA_LOCAL, RTA_DST, an ARP or NA target). Not IPVS's 16-byte union nf_inet_addr (ipvs/map.ts).
 */
export function ipToBytes(a: IpAddr): Buffer {
  const b = Buffer.alloc(a.af === 4 ? 4 : 16);
  if (a.af === 4) b.writeUInt32BE(v4ToU32(a.text), 0);
  else v6ToWords(a.text).forEach((w, i) => b.writeUInt32BE(w, i * 4));
  return b;
}

/** The address in `b`, which must be exactly as long as the family's; `where` names it in the error. */
export function ipFromBytes(b: Buffer, af: Family, where: string): IpAddr {
  const want = af === 4 ? 4 : 16;
  if (b.length !== want) throw new NetlinkFormatError(`${where}: ${b.length}-byte address for IPv${af}, expected ${want}`);
  if (af === 4) return { af, text: v4Text(b.readUInt32BE(0)) };
  return { af, text: v6Text([0, 4, 8, 12].map((o) => b.readUInt32BE(o))) };
}
