import type { TableOp } from '../../model/ops.js';
import type { ServiceId, ServiceSpec, DestSpec } from '../../model/service.js';
import { serviceFamily, destKey } from '../../model/service.js';
import { TableError } from '../../model/errors.js';
import { DEFAULT_TIMEOUTS, type Timeouts, type SyncDaemon, type ServiceEntry, type TableSnapshot } from '../../model/table.js';
import type { Random } from '../../ports/random.js';
import { runAll, type Steps } from '../../ports/pause.js';
import { ServiceRuntime, type SchedEnv } from './service.js';
import { DestRuntime } from './dest.js';
import { DestTrash } from './dest-trash.js';
import {
  USERSPACE, checkDaemon, checkDestFamily, checkDestSpec, checkNewDestAddr, checkServiceAttrs, checkServiceSpec,
  checkTimeouts, kernelServiceId, kernelServiceKey, type TableCapabilities,
} from './table-rules.js';

/** What the director reports as `IP Virtual Server version` (the IPVS ABI it mirrors). */
export const IPVS_VERSION = '1.2.1';

/** What the table needs besides its random source; both default for tables that never see traffic. */
export interface ServiceTableOptions {
  /** Monotonic ms (the plane's Clock): scheduler start times and the dest trash's timer. Default: always 0. */
  readonly now?: () => number;
  /** ms; the lblc_expiration / lblcr_expiration sysctls (default 24 h), shortened by tests. */
  readonly localityExpiration?: number;
}

/**
 * A service table in memory, with the kernel's rules for what an operation may do (table-rules.ts): the
 * same errnos for the same mistakes, so lvsadm prints the same messages as ipvsadm does against the kernel.
 * The userspace planes forward with it; the fakes of kernel IPVS keep theirs in one (KERNEL_6_1).
 */
export class ServiceTable {
  private readonly services = new Map<string, ServiceRuntime>();
  private nextServiceIndex = 1;
  private nextDestId = 1;
  private timeoutsNow: Timeouts = DEFAULT_TIMEOUTS;
  private readonly daemons: SyncDaemon[] = [];
  /** Every dest a connection may still point at: live ones, and removed ones until the trash frees them. */
  private readonly destsById = new Map<number, DestRuntime>();
  private readonly trash = new DestTrash();
  private readonly env: SchedEnv;

  constructor(
    random: Random,
    readonly size = 4096,
    private readonly caps: TableCapabilities = USERSPACE,
    opts: ServiceTableOptions = {},
  ) {
    const now = opts.now ?? (() => 0);
    this.env = { random, now, localityExpiration: opts.localityExpiration };
  }

  get timeouts(): Timeouts {
    return this.timeoutsNow;
  }

  /** The dest with this id, also after its removal while it is in the trash (see dest-trash.ts). */
  destById(id: number): DestRuntime | undefined {
    return this.destsById.get(id);
  }

  /** Runs the dest trash's timer up to now: removed dests unreferenced long enough are forgotten. */
  expireTrash(): void {
    this.trash.expire(this.env.now(), (d) => this.destsById.delete(d.id));
  }

  find(id: ServiceId): ServiceRuntime | undefined {
    return this.services.get(kernelServiceKey(id));
  }

  /** Services in insertion order. */
  list(): IterableIterator<ServiceRuntime> {
    return this.services.values();
  }

  apply(op: TableOp): void {
    switch (op.op) {
      case 'add-service': return this.addService(op.spec);
      case 'edit-service': return this.editService(op.spec);
      case 'del-service': return this.delService(op.id);
      case 'add-dest': return this.addDest(op.service, op.dest);
      case 'edit-dest': return this.editDest(op.service, op.dest);
      case 'del-dest': {
        const svc = this.need(op.service);
        const dest = svc.findDest(op.addr, op.port);
        if (!dest) throw new TableError('ENOENT');
        this.retire(svc, dest);
        return;
      }
      case 'flush':
        for (const svc of [...this.services.values()]) this.delService(svc.spec.id);
        return;
      case 'zero':
        if (op.service) zeroService(this.need(op.service));
        else for (const svc of this.services.values()) zeroService(svc);
        return;
      case 'set-timeouts': {
        // ipvsadm --set: 0 keeps the current value (ip_vs_set_timeout)
        const t = op.timeouts;
        checkTimeouts(t, this.caps);
        const cur = this.timeoutsNow;
        this.timeoutsNow = { tcp: t.tcp || cur.tcp, tcpFin: t.tcpFin || cur.tcpFin, udp: t.udp || cur.udp };
        return;
      }
      case 'start-daemon':
        checkDaemon(op.daemon, this.mixedFamilyDests());
        if (this.daemons.some((d) => d.state === op.daemon.state)) throw new TableError('EEXIST');
        this.daemons.push(op.daemon);
        return;
      case 'stop-daemon': {
        const i = this.daemons.findIndex((d) => d.state === op.state);
        if (i < 0) throw new TableError('ESRCH');
        this.daemons.splice(i, 1);
        return;
      }
    }
  }

  snapshot(): TableSnapshot {
    return runAll(this.snapshotSteps());
  }

  /** snapshot's work, yielding one unit per service and real server copied (the proxy plane reads it in slices). */
  *snapshotSteps(): Steps<TableSnapshot> {
    const services: ServiceEntry[] = [];
    for (const svc of this.services.values()) {
      services.push(serviceEntry(svc));
      yield 1 + svc.dests.length;
    }
    return { version: IPVS_VERSION, size: this.size, services, timeouts: this.timeoutsNow, daemons: [...this.daemons] };
  }

  private need(id: ServiceId): ServiceRuntime {
    const svc = this.find(id);
    if (!svc) throw new TableError('ESRCH');
    return svc;
  }

  private addService(spec: ServiceSpec): void {
    checkServiceAttrs(spec);
    const id = kernelServiceId(spec.id);
    const key = kernelServiceKey(id);
    if (this.services.has(key)) throw new TableError('EEXIST');
    checkServiceSpec(spec, this.caps);
    const svc = new ServiceRuntime(this.nextServiceIndex++, { ...spec, id }, this.env);
    this.services.set(key, svc);
  }

  private editService(spec: ServiceSpec): void {
    checkServiceAttrs(spec);
    const svc = this.need(spec.id);
    checkServiceSpec(spec, this.caps);
    svc.edit({ ...spec, id: svc.spec.id });
  }

  private delService(id: ServiceId): void {
    const svc = this.need(id);
    this.services.delete(kernelServiceKey(id));
    for (const d of [...svc.dests]) this.retire(svc, d);
  }

  private addDest(id: ServiceId, spec: DestSpec): void {
    const svc = this.need(id);
    checkDestFamily(svc.spec, spec, this.daemons.length > 0);
    checkDestSpec(spec);
    if (svc.findDest(spec.addr, spec.port)) throw new TableError('EEXIST');
    checkNewDestAddr(spec.addr);
    // ip_vs_add_dest: the same dest back from the trash, with its counters, or a new one.
    const back = this.trash.take(kernelServiceKey(id), destKey(spec.addr, spec.port));
    if (back) back.update(spec);
    const dest = back ?? new DestRuntime(this.nextDestId++, spec);
    this.destsById.set(dest.id, dest);
    svc.addDest(dest);
  }

  private retire(svc: ServiceRuntime, dest: DestRuntime): void {
    svc.removeDest(dest);
    this.trash.put(dest, kernelServiceKey(svc.spec.id), destKey(dest.spec.addr, dest.port), this.env.now());
  }

  private editDest(id: ServiceId, spec: DestSpec): void {
    const svc = this.need(id);
    checkDestFamily(svc.spec, spec, this.daemons.length > 0);
    checkDestSpec(spec);
    const dest = svc.findDest(spec.addr, spec.port);
    if (!dest) throw new TableError('ENOENT');
    svc.editDest(dest, spec);
  }

  /** ip_vs_ctl.c counts these (mixed_address_family_dests): a sync daemon cannot start while there are any. */
  private mixedFamilyDests(): boolean {
    for (const svc of this.services.values()) {
      const af = serviceFamily(svc.spec.id);
      if (svc.dests.some((d) => d.spec.addr.af !== af)) return true;
    }
    return false;
  }
}

function zeroService(svc: ServiceRuntime): void {
  for (const c of [svc.stats, ...svc.dests.map((d) => d.stats)]) {
    c.conns = c.inPkts = c.outPkts = c.inBytes = c.outBytes = 0;
  }
  svc.estimator.reset(svc.stats);
  for (const d of svc.dests) d.estimator.reset(d.stats);
}

function serviceEntry(svc: ServiceRuntime): ServiceEntry {
  return {
    spec: svc.spec,
    stats: { ...svc.stats },
    rates: svc.estimator.rates(),
    dests: svc.dests.map((d) => ({
      spec: d.spec,
      activeConns: d.activeConns,
      inactConns: d.inactConns,
      persistConns: d.persistConns,
      stats: { ...d.stats },
      rates: d.estimator.rates(),
    })),
  };
}
