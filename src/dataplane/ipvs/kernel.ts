import { readFile } from 'node:fs/promises';
import type { IpvsPort } from '../../ports/ipvs.js';
import type { TableOp } from '../../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../../model/table.js';
import { TableError } from '../../model/errors.js';
import { IpvsClient } from '../../netlink/ipvs/client.js';
import { parseIpVsConn } from './proc-conn.js';

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

  async close(): Promise<void> {
    this.client.close();
  }
}

/** What `ipvsadm -Lc` reads: the kernel's connection table in /proc. */
export async function kernelConnections(): Promise<readonly ConnEntry[]> {
  const text = await readFile('/proc/net/ip_vs_conn', 'utf8');
  return parseIpVsConn(text).entries;
}
