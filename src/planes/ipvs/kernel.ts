import { readFile } from 'node:fs/promises';
import type { SnapshotNeed, TablePort, TableResult } from '../../ports/table.js';
import type { TableOp } from '../../model/ops.js';
import type { ConnEntry, ServiceEntry, TableSnapshot } from '../../model/table.js';
import { TableError } from '../../model/errors.js';
import { serviceKey, type ServiceId } from '../../model/service.js';
import { IpvsClient, tableSnapshot, type ServiceHead } from '../../netlink/ipvs/client.js';
import { parseIpVsConn } from './proc-conn.js';
import type { ProcDests } from './proc-dests.js';
import { readIpVs, type ProcIpVs, type ProcRange } from './proc-table.js';

/** The kernel's IPVS table through the generic netlink client; connections from /proc/net/ip_vs_conn. */
export class KernelIpvs implements TablePort {
  private constructor(private readonly client: IpvsClient) {}

  /** Fails (NetlinkError ENOENT, with a hint) where the kernel has no IPVS. `netns`: a namespace file, else our own. */
  static async open(netns?: string): Promise<KernelIpvs> {
    return new KernelIpvs(await IpvsClient.open({ rcvbufBytes: 8 << 20, ...(netns !== undefined ? { netns } : {}) }));
  }

  /** Many requests in flight at once; the kernel applies them in order, each on its own. */
  async apply(ops: readonly TableOp[]): Promise<TableResult[]> {
    const results = await this.client.applyBatch(ops);
    return results.map((r) => {
      if (r.ok) return null;
      // A transport failure says nothing about the table: it is not an operator's mistake to report per op.
      if (r.error instanceof TableError) return r.error;
      throw r.error;
    });
  }

  /** What is asked for, read the cheapest way that gives it. */
  snapshot(need: SnapshotNeed = 'full'): Promise<TableSnapshot> {
    if (need === 'settings') return this.listSettings();
    return need === 'table' ? this.listTable() : this.client.list();
  }

  connections(): Promise<readonly ConnEntry[]> {
    return kernelConnections();
  }

  /**
   * What `ipvsadm -L` and `-S` print, read the fast way: services from one GET_SERVICE dump and every real
   * server from one read of /proc/net/ip_vs, instead of a GET_DEST dump per service (10,000 services are
   * 10,000 round trips). Services come without counters and rates, real servers without those, thresholds
   * or persistent-connection counts (all 0 here); a service's real servers are made from /proc's compact
   * form each time its `dests` is read. A service with a tunnel real server (whose tunnel settings are
   * printed), or one /proc does not show unambiguously, gets its real servers from netlink as in list().
   */
  private async listTable(): Promise<TableSnapshot> {
    const head = this.client.listHead(false);
    const proc = readProc();
    const h = await head;
    const ranges = h.services.map((s) => (proc ? procRange(proc, s.spec.id) : null));
    const missing = ranges.flatMap((r, i) => (r ? [] : [i]));
    const fetched = new Map(await Promise.all(missing.map(async (i) => [i, await this.client.listDests(h.services[i]!.spec.id)] as const)));
    return tableSnapshot(h, h.services.map((s, i) => {
      const r = ranges[i];
      return r && proc ? procEntry(s, proc.dests, r) : { spec: s.spec, stats: s.stats, rates: s.rates, dests: fetched.get(i)! };
    }));
  }

  /** Timeouts, daemons and version only (`-L --timeout`, `-L --daemon`): no service is read. */
  private async listSettings(): Promise<TableSnapshot> {
    return tableSnapshot(await this.client.listSettings(), []);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

/** /proc/net/ip_vs, or null where it cannot be read (a /proc that hides it): then netlink is asked for every service. */
function readProc(): ProcIpVs | null {
  try {
    return readIpVs();
  } catch {
    return null;
  }
}

/** Where /proc has a service's real servers, or null when netlink must be asked instead. */
function procRange(proc: ProcIpVs, id: ServiceId): ProcRange | null {
  let found: ProcRange | undefined;
  if (id.kind === 'addr') found = proc.byKey.get(serviceKey(id));
  else {
    const withMark = proc.byMark.get(id.fwmark);
    found = withMark?.length === 1 ? withMark[0] : undefined;
  }
  return !found || proc.dests.anyTunnel(found.first, found.end) ? null : found;
}

/** A service whose real servers are made from /proc's words whenever they are read, and die young. */
function procEntry(s: ServiceHead, dests: ProcDests, r: ProcRange): ServiceEntry {
  return { spec: s.spec, stats: s.stats, rates: s.rates, get dests() { return dests.entries(r.first, r.end); } };
}

/** What `ipvsadm -Lc` reads: the kernel's connection table in /proc. */
async function kernelConnections(): Promise<readonly ConnEntry[]> {
  const text = await readFile('/proc/net/ip_vs_conn', 'utf8');
  return parseIpVsConn(text).entries;
}
