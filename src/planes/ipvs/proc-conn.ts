import type { ConnEntry } from '../../model/table.js';
import { addrPort } from '../../model/address.js';
import { procAddr as addr, procPort } from './proc-addr.js';

/**
 * Parses /proc/net/ip_vs_conn (net/netfilter/ipvs/ip_vs_conn.c ip_vs_conn_seq_show), which is where
 * `ipvsadm -Lc` reads connections: v4 rows carry %08X addresses and %04X ports, v6 rows %pI6 (eight
 * four-digit groups); then state, seconds to expiry, and optionally the persistence engine's name and data.
 * A row that does not fit is reported, not guessed at.
 */
export function parseIpVsConn(text: string): { entries: ConnEntry[]; bad: string[] } {
  const entries: ConnEntry[] = [];
  const bad: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('Pro ')) continue;
    const f = line.trim().split(/\s+/);
    const client = addr(f[1]);
    const virt = addr(f[3]);
    const dest = addr(f[5]);
    const ports = [f[2], f[4], f[6]].map(procPort);
    const expires = Number(f[8]);
    if (f.length < 9 || !client || !virt || !dest || ports.includes(-1) || !Number.isInteger(expires) || f[7] === undefined) {
      bad.push(line);
      continue;
    }
    entries.push({
      proto: f[0]!,
      expires,
      state: f[7],
      client: addrPort(client, ports[0]!),
      virtual: addrPort(virt, ports[1]!),
      dest: addrPort(dest, ports[2]!),
      ...(f[9] !== undefined ? { peName: f[9] } : {}),
      ...(f[10] !== undefined ? { peData: f[10] } : {}),
    });
  }
  return { entries, bad };
}
