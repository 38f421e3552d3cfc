/**
 * lvsadm without a daemon: the kernel's IPVS table directly over generic netlink, as ipvsadm itself works.
 * The kernel is opened on the first request, so -h and argument errors need no IPVS.
 */
import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import type { SnapshotNeed, TablePort, TableResult } from '../ports/table.js';
import { KernelIpvs } from '../planes/ipvs/kernel.js';
import { BackendUnavailable } from './backend.js';

export class KernelBackend implements TablePort {
  private kernel: Promise<KernelIpvs> | null = null;

  private open(): Promise<KernelIpvs> {
    this.kernel ??= KernelIpvs.open().catch((e: unknown) => {
      // ipvsadm's own words when the kernel has no IPVS (ipvsadm.c main → ipvs_init failure).
      throw new BackendUnavailable(`Can't initialize ipvs: ${(e as Error).message}\nAre you sure that IP Virtual Server is built in the kernel or as module?`);
    });
    return this.kernel;
  }

  async apply(ops: readonly TableOp[]): Promise<readonly TableResult[]> {
    const k = await this.open();
    try {
      return await k.apply(ops);
    } catch (e) {
      // a refusal is a result; what is thrown is the transport failing, which lvsadm reports as one line
      throw new BackendUnavailable(`IPVS netlink failed: ${(e as Error).message}`);
    }
  }

  async snapshot(need: SnapshotNeed = 'full'): Promise<TableSnapshot> {
    return (await this.open()).snapshot(need);
  }

  async connections(): Promise<readonly ConnEntry[]> {
    return (await this.open()).connections();
  }

  async close(): Promise<void> {
    if (this.kernel) await (await this.kernel.catch(() => null))?.close();
  }
}
