/**
 * An lvsadm Backend that keeps a real table in memory and answers like the kernel does (ip_vs_ctl.c
 * ip_vs_genl_set_cmd and friends): the same errno for the same mistake, ops applied in order until one
 * fails. Tests drive lvsadm against it and assert on the table, not on calls.
 */
import { TableError } from '../model/errors.js';
import type { TableOp } from '../model/ops.js';
import { destKey, serviceFamily, serviceKey, type DestSpec, type ServiceId, type ServiceSpec } from '../model/service.js';
import { zeroCounters, zeroRates } from '../model/stats.js';
import { DEFAULT_TIMEOUTS, type ConnEntry, type DestEntry, type ServiceEntry, type SyncDaemon, type TableSnapshot, type Timeouts } from '../model/table.js';
import type { ApplyResult, Backend } from '../cli/backend.js';

/** The schedulers and persistence engines a stock kernel offers; others are ENOENT, as without the module. */
const SCHEDULERS = new Set(['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos']);
const PERSISTENCE_ENGINES = new Set(['sip']);

interface Svc {
  spec: ServiceSpec;
  readonly dests: Map<string, DestEntry>;
}

export class MemoryBackend implements Backend {
  private readonly services = new Map<string, Svc>();
  private timeouts: Timeouts = DEFAULT_TIMEOUTS;
  private daemons: SyncDaemon[] = [];
  /** Every op that was applied successfully, in order. */
  readonly applied: TableOp[] = [];
  /** What connections() reports. */
  conns: ConnEntry[] = [];

  constructor(private readonly info: { version: string; size: number } = { version: '1.2.1', size: 4096 }) {}

  async apply(ops: readonly TableOp[]): Promise<ApplyResult> {
    for (let i = 0; i < ops.length; i++) {
      try {
        this.applyOne(ops[i]!);
        this.applied.push(ops[i]!);
      } catch (e) {
        if (!(e instanceof TableError)) throw e;
        return { ok: false, index: i, error: { errno: e.errno, message: e.message } };
      }
    }
    return { ok: true };
  }

  async snapshot(): Promise<TableSnapshot> {
    const services: ServiceEntry[] = [...this.services.values()].map((s) => ({
      spec: s.spec, dests: [...s.dests.values()], stats: zeroCounters(), rates: zeroRates(),
    }));
    return structuredClone({ ...this.info, services, timeouts: this.timeouts, daemons: this.daemons });
  }

  async connections(): Promise<readonly ConnEntry[]> {
    return structuredClone(this.conns);
  }

  private applyOne(op: TableOp): void {
    switch (op.op) {
      case 'add-service': {
        if (this.services.has(serviceKey(op.spec.id))) throw new TableError('EEXIST', 'service exists');
        this.checkService(op.spec);
        this.services.set(serviceKey(op.spec.id), { spec: op.spec, dests: new Map() });
        return;
      }
      case 'edit-service': {
        const s = this.service(op.spec.id);
        this.checkService(op.spec);
        s.spec = op.spec;
        return;
      }
      case 'del-service': this.service(op.id); this.services.delete(serviceKey(op.id)); return;
      case 'add-dest': case 'edit-dest': return this.setDest(op.op, op.service, op.dest);
      case 'del-dest': {
        const s = this.service(op.service);
        if (!s.dests.delete(destKey(op.addr, op.port))) throw new TableError('ENOENT', 'no such destination');
        return;
      }
      case 'flush': this.services.clear(); return;
      case 'zero': if (op.service) this.service(op.service); return; // counters are always zero here
      case 'set-timeouts': {
        const keep = (n: number, old: number): number => (n === 0 ? old : n);
        const t = this.timeouts;
        this.timeouts = { tcp: keep(op.timeouts.tcp, t.tcp), tcpFin: keep(op.timeouts.tcpFin, t.tcpFin), udp: keep(op.timeouts.udp, t.udp) };
        return;
      }
      case 'start-daemon':
        if (this.daemons.some((d) => d.state === op.daemon.state)) throw new TableError('EEXIST', 'daemon running');
        this.daemons = [...this.daemons, op.daemon];
        return;
      case 'stop-daemon':
        if (!this.daemons.some((d) => d.state === op.state)) throw new TableError('ESRCH', 'no daemon');
        this.daemons = this.daemons.filter((d) => d.state !== op.state);
        return;
    }
  }

  /** Unless a service is being added, it must exist: ESRCH. */
  private service(id: ServiceId): Svc {
    const s = this.services.get(serviceKey(id));
    if (!s) throw new TableError('ESRCH', 'no such service');
    return s;
  }

  private checkService(spec: ServiceSpec): void {
    if (!SCHEDULERS.has(spec.scheduler)) throw new TableError('ENOENT', `scheduler ${spec.scheduler} not found`);
    if (spec.pe && !PERSISTENCE_ENGINES.has(spec.pe)) throw new TableError('ENOENT', `persistence engine ${spec.pe} not found`);
    if (serviceFamily(spec.id) === 6 && (spec.netmask < 1 || spec.netmask > 128)) throw new TableError('EINVAL', 'bad v6 netmask');
  }

  private setDest(op: 'add-dest' | 'edit-dest', id: ServiceId, dest: DestSpec): void {
    const s = this.service(id);
    // mixed families only through a tunnel; weights and thresholds as ip_vs_add_dest/ip_vs_edit_dest check them
    if (dest.addr.af !== serviceFamily(id) && dest.fwd !== 'tunnel') throw new TableError('EINVAL', 'mixed family');
    if (dest.weight < 0 || dest.lThreshold > dest.uThreshold) throw new TableError('ERANGE', 'bad weight or thresholds');
    const key = destKey(dest.addr, dest.port);
    const old = s.dests.get(key);
    if (op === 'add-dest' && old) throw new TableError('EEXIST', 'destination exists');
    if (op === 'edit-dest' && !old) throw new TableError('ENOENT', 'no such destination');
    s.dests.set(key, {
      spec: dest, activeConns: old?.activeConns ?? 0, inactConns: old?.inactConns ?? 0,
      persistConns: old?.persistConns ?? 0, stats: old?.stats ?? zeroCounters(), rates: old?.rates ?? zeroRates(),
    });
  }
}
