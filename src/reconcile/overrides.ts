import type { TableOp } from '../model/ops.js';
import { destKey, serviceKey, type DestSpec } from '../model/service.js';
import type { DesiredService, DesiredTable } from './desired-table.js';

type ServiceChange = Extract<TableOp, { op: 'add-service' | 'edit-service' | 'del-service' }>;
type DestChange = Extract<TableOp, { op: 'add-dest' | 'edit-dest' | 'del-dest' }>;

/** One operator override, spelled as the change that makes it: applied to the file's table, in list order. */
export type OverrideOp = ServiceChange | DestChange | { readonly op: 'flush' };

/**
 * Changes an operator made through lvsd's control socket (lvsadm) while a configuration file is loaded.
 * keepalived and HAProxy operators expect a runtime change to hold until the next reload — `lvsadm -e … -w 0`
 * drains a real server for maintenance — so drift repair must plan against the file's table with these on
 * top, not against the file alone. A reload re-applies the file and clears them.
 *
 * Each is keyed by identity (the service; the service and real server) and keeps the last change made to it:
 * - a real server added or edited holds that spec; one deleted stays out;
 * - a service edited keeps the file's real servers (and any overridden ones) under the new spec;
 * - a service added is the operator's own: it holds only the real servers added to it since, even when the
 *   file has a service of that name (ipvsadm -D then -A leaves an empty service, and so does lvsd);
 * - a service deleted stays out, and overrides of its real servers are dropped with it;
 * - a flush (-C) empties the table until the reload: every earlier override is dropped, later ones apply on top.
 * Table settings (-Z, --set, --start-daemon) are not overrides: drift repair never touches them.
 */
export class OperatorOverrides {
  private flushed = false;
  private readonly services = new Map<string, ServiceChange>();
  private readonly dests = new Map<string, Map<string, DestChange>>();

  /** How many overrides are held (a flush counts as one). */
  get size(): number {
    let n = (this.flushed ? 1 : 0) + this.services.size;
    for (const m of this.dests.values()) n += m.size;
    return n;
  }

  /**
   * Records a change the data plane has accepted; returns the override it became, or null when the change
   * is not one (counters, timeouts, sync daemons).
   */
  record(op: TableOp): OverrideOp | null {
    switch (op.op) {
      case 'flush':
        this.flushed = true;
        this.services.clear();
        this.dests.clear();
        return op;
      case 'add-service': case 'edit-service': case 'del-service': {
        const key = serviceKey(op.op === 'del-service' ? op.id : op.spec.id);
        const prev = this.services.get(key);
        // An edit of a service the operator added keeps it the operator's own (no real servers from the file).
        const rec: ServiceChange = op.op === 'edit-service' && prev?.op === 'add-service' ? { op: 'add-service', spec: op.spec } : op;
        // A deleted or newly added service starts with no real servers: earlier overrides of them are void.
        if (op.op !== 'edit-service') this.dests.delete(key);
        return moveToEnd(this.services, key, rec);
      }
      case 'add-dest': case 'edit-dest': case 'del-dest': {
        const key = serviceKey(op.service);
        const dkey = op.op === 'del-dest' ? destKey(op.addr, op.port) : destKey(op.dest.addr, op.dest.port);
        let m = this.dests.get(key);
        if (!m) this.dests.set(key, (m = new Map()));
        const prev = m.get(dkey);
        // A real server the operator added and then edited is still one the operator added.
        const rec: DestChange = op.op === 'edit-dest' && prev?.op === 'add-dest' ? { op: 'add-dest', service: op.service, dest: op.dest } : op;
        return moveToEnd(m, dkey, rec);
      }
      default:
        return null;
    }
  }

  /** The overrides in an order that rebuilds them on the file's table: the flush, services, real servers. */
  list(): OverrideOp[] {
    const out: OverrideOp[] = this.flushed ? [{ op: 'flush' }] : [];
    out.push(...this.services.values());
    for (const m of this.dests.values()) out.push(...m.values());
    return out;
  }

  /** Drops every override (reload); returns how many there were. */
  clear(): number {
    const n = this.size;
    this.flushed = false;
    this.services.clear();
    this.dests.clear();
    return n;
  }

  /** The table drift repair keeps: `base` (the file's) with the overrides on top. Unchanged when there are none. */
  applyTo(base: DesiredTable): DesiredTable {
    if (this.size === 0) return base;
    const services: DesiredService[] = [];
    const placed = new Set<string>();
    for (const s of this.flushed ? [] : base.services) {
      const key = serviceKey(s.spec.id);
      placed.add(key);
      const o = this.services.get(key);
      if (o?.op === 'del-service') continue;
      services.push(this.withDests(key, o?.op === 'add-service' ? { spec: o.spec, dests: [] } : { spec: o?.spec ?? s.spec, dests: s.dests }));
    }
    for (const [key, o] of this.services) {
      // A service the file lacks but the operator edited in the table (it was there by hand) is held as edited.
      if (o.op !== 'del-service' && !placed.has(key)) services.push(this.withDests(key, { spec: o.spec, dests: [] }));
    }
    return { services };
  }

  private withDests(key: string, s: DesiredService): DesiredService {
    const m = this.dests.get(key);
    if (!m) return s;
    const dests = new Map<string, DestSpec>(s.dests.map((d) => [destKey(d.addr, d.port), d]));
    for (const [dkey, o] of m) {
      if (o.op === 'del-dest') dests.delete(dkey);
      else dests.set(dkey, o.dest);
    }
    return { spec: s.spec, dests: [...dests.values()] };
  }
}

/** Sets key to value as the newest entry, so list() shows changes in the order they were last made. */
function moveToEnd<V>(m: Map<string, V>, key: string, value: V): V {
  m.delete(key);
  m.set(key, value);
  return value;
}
