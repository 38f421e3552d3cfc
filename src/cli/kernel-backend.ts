/**
 * lvsadm without a daemon: the kernel's IPVS table directly over generic netlink, as ipvsadm itself works.
 * Ops are applied one by one and stop at the first refusal, which is what -R against the kernel does.
 */
import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import { TableError } from '../model/errors.js';
import { KernelIpvs, kernelConnections } from '../planes/ipvs/kernel.js';
import { BackendUnavailable, type ApplyResult, type Backend, type SnapshotNeed } from './backend.js';

export class KernelBackend implements Backend {
  private kernel: Promise<KernelIpvs> | null = null;

  private open(): Promise<KernelIpvs> {
    this.kernel ??= KernelIpvs.open().catch((e: unknown) => {
      // ipvsadm's own words when the kernel has no IPVS (ipvsadm.c main → ipvs_init failure).
      throw new BackendUnavailable(`Can't initialize ipvs: ${(e as Error).message}\nAre you sure that IP Virtual Server is built in the kernel or as module?`);
    });
    return this.kernel;
  }

  async apply(ops: readonly TableOp[]): Promise<ApplyResult> {
    const k = await this.open();
    for (const [index, op] of ops.entries()) {
      try {
        await k.apply(op);
      } catch (e) {
        if (!(e instanceof TableError)) throw new BackendUnavailable(`IPVS netlink failed: ${(e as Error).message}`);
        return { ok: false, index, error: { errno: e.errno, message: e.message } };
      }
    }
    return { ok: true };
  }

  async snapshot(need: SnapshotNeed = 'full'): Promise<TableSnapshot> {
    const k = await this.open();
    if (need === 'settings') return k.listSettings();
    return need === 'table' ? k.listTable() : k.list();
  }

  async connections(): Promise<readonly ConnEntry[]> {
    await this.open();
    return kernelConnections();
  }

  async close(): Promise<void> {
    if (this.kernel) await (await this.kernel.catch(() => null))?.close();
  }
}
