import { readFile } from 'node:fs/promises';
import type { IpvsPort } from '../../ports/ipvs.js';
import type { TableOp } from '../../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../../model/table.js';
import { TableError } from '../../model/errors.js';
import { serviceKey } from '../../model/service.js';
import { IpvsClient, withDests, type IpvsService } from '../../netlink/ipvs/client.js';
import { parseIpVsConn } from './proc-conn.js';
import { parseIpVs, type ProcDest, type ProcIpVs } from './proc-table.js';

/** The kernel's IPVS table through the generic netlink client. */
export class KernelIpvs implements IpvsPort {
  private constructor(private readonly client: IpvsClient) {}

  /** Fails (NetlinkError ENOENT, with a hint) where the kernel has no IPVS. */
  static async open(): Promise<KernelIpvs> {
    return new KernelIpvs(await IpvsClient.open({ rcvbufBytes: 8 << 20 }));
  }

  async apply(op: TableOp): Promise<void> {
    await this.client.apply(op);
  }

  async applyMany(ops: readonly TableOp[]): Promise<Array<TableError | null>> {
    const results = await this.client.applyBatch(ops);
    return results.map((r) => {
      if (r.ok) return null;
      // A transport failure says nothing about the table: it is not an operator's mistake to report per op.
      if (r.error instanceof TableError) return r.error;
      throw r.error;
    });
  }

  list(): Promise<TableSnapshot> {
    return this.client.list();
  }

  /**
   * What `ipvsadm -L` and `-S` print, read the fast way: services from one GET_SERVICE dump and every real
   * server from one read of /proc/net/ip_vs, instead of a GET_DEST dump per service (10,000 services are
   * 10,000 round trips). Real servers come without counters, rates, thresholds or persistent-connection
   * counts (all 0 here); a service with a tunnel real server (whose tunnel settings are printed), or one
   * /proc does not show unambiguously, gets its real servers from netlink as in list().
   */
  async listTable(): Promise<TableSnapshot> {
    const [head, text] = await Promise.all([this.client.listHead(), readFile('/proc/net/ip_vs', 'latin1').catch(() => '')]);
    // Without the file (a /proc that hides it) every service is simply asked for over netlink.
    const proc = parseIpVs(text);
    const fromProc = head.services.map((s) => procDests(proc, s));
    const missing = head.services.flatMap((_service, i) => (fromProc[i] === null ? [i] : []));
    const fetched = new Map(await Promise.all(missing.map(async (i) => [i, await this.client.listDests(head.services[i]!.spec.id)] as const)));
    return withDests(head, fromProc.map((d, i) => d ?? fetched.get(i)!));
  }

  /** Timeouts, daemons and version only (`-L --timeout`, `-L --daemon`): no service is read. */
  async listSettings(): Promise<TableSnapshot> {
    return withDests({ ...(await this.client.listSettings()), services: [] }, []);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

/** A service's real servers as /proc shows them, or null when netlink must be asked instead. */
function procDests(proc: ProcIpVs, s: IpvsService): ProcDest[] | null {
  const id = s.spec.id;
  let found: ProcDest[] | undefined;
  if (id.kind === 'addr') found = proc.byKey.get(serviceKey(id));
  else {
    const withMark = proc.byMark.get(id.fwmark);
    found = withMark?.length === 1 ? withMark[0] : undefined;
  }
  return !found || found.some((d) => d.spec.fwd === 'tunnel') ? null : found;
}

/** What `ipvsadm -Lc` reads: the kernel's connection table in /proc. */
export async function kernelConnections(): Promise<readonly ConnEntry[]> {
  const text = await readFile('/proc/net/ip_vs_conn', 'utf8');
  return parseIpVsConn(text).entries;
}
