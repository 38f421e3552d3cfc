import { v4Text, v6Text, type IpAddr } from '../../model/address.js';

/**
 * An address as IPVS's /proc files print it: v4 as %08X (host order of the network-order value), v6 as %pI6
 * (eight four-digit groups, optionally in brackets as /proc/net/ip_vs writes them). null when it is neither.
 */
export function procAddr(s: string | undefined): IpAddr | null {
  if (s === undefined) return null;
  if (/^[0-9A-Fa-f]{8}$/.test(s)) return { af: 4, text: v4Text(parseInt(s, 16)) };
  const bare = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  const g = bare.split(':');
  if (g.length !== 8 || !g.every((x) => /^[0-9A-Fa-f]{4}$/.test(x))) return null;
  const words = [0, 1, 2, 3].map((i) => ((parseInt(g[i * 2]!, 16) << 16) | parseInt(g[i * 2 + 1]!, 16)) >>> 0);
  return { af: 6, text: v6Text(words) };
}

/** A %04X port; -1 when it is not one. */
export function procPort(s: string | undefined): number {
  return s !== undefined && /^[0-9A-Fa-f]{4}$/.test(s) ? parseInt(s, 16) : -1;
}
