import type { IpAddr } from '../../model/address.js';
import type { TableOp } from '../../model/ops.js';
import { serviceFamily, serviceKey, type DestSpec, type ServiceId, type ServiceSpec } from '../../model/service.js';
import { NO_STATS, type Counters, type Rates } from '../../model/stats.js';
import type { DestEntry, ServiceEntry, SyncDaemon, TableSnapshot, Timeouts } from '../../model/table.js';
import { NETLINK_GENERIC, NetlinkSocket } from '../../native/netlink-socket.js';
import { NetlinkEngine, type EngineOptions, type NlRequest } from '../engine.js';
import { NetlinkFormatError } from '../errors.js';
import type { NlMessage } from '../framing.js';
import { resolveFamily } from '../genl.js';
import type { NetlinkTransport } from '../transport.js';
import { decodeIpvs, ipvsRequest, type DestAttrs, type ServiceAttrs } from './codec.js';
import { toTableError } from './errors.js';
import { daemonFromAttrs, destFromAttrs, serviceFromAttrs, serviceIdAttrs, statsFromAttrs } from './map.js';
import { opRequest } from './ops.js';
import { IPVS_GENL_NAME, cmdServiceWithoutStats } from './spec.js';

/**
 * The kernel's IPVS table over generic netlink (include/uapi/linux/ip_vs.h), in the model's terms. Table
 * changes are sent many per datagram and many in flight (applyBatch), which is what makes loading a large
 * table fast; listings are dumps. Kernel refusals reject with TableError(errno); transport trouble with
 * NetlinkError; replies that do not parse with NetlinkFormatError. Nothing here assumes the host: it runs
 * wherever the kernel has IPVS (a user-mode Linux guest in the kernel test tier).
 */

export interface IpvsClientOptions extends EngineOptions {
  /** Network namespace file to talk to (/run/netns/NAME); the process's own when absent. */
  readonly netns?: string;
  readonly rcvbufBytes?: number;
  /** A transport to use instead of a native socket (tests). */
  readonly transport?: NetlinkTransport;
}

export interface IpvsInfo {
  /** "1.2.1", as ipvsadm prints it */
  readonly version: string;
  readonly versionCode: number;
  readonly connTabSize: number;
}

/** A service as a listing reads it: counters and rates are 0 where they were not read (listHead(false)). */
export interface ServiceHead {
  readonly spec: ServiceSpec;
  readonly stats: Counters;
  readonly rates: Rates;
}

/** A service as the kernel lists it; `attrs` is the decoded reply, unknown attributes included. */
export interface IpvsService extends ServiceHead {
  readonly attrs: ServiceAttrs;
}

export interface IpvsDest extends DestEntry {
  readonly attrs: DestAttrs;
}

/** What is not a service: version, timeouts, sync daemons. */
export interface TableSettings {
  readonly info: IpvsInfo;
  readonly timeouts: Timeouts;
  readonly daemons: readonly SyncDaemon[];
}

export interface TableHead extends TableSettings {
  readonly services: readonly ServiceHead[];
}

/** A snapshot from a head and each service's real servers (dests[i] belongs to head.services[i]). */
export function withDests(head: TableHead, dests: readonly (readonly DestEntry[])[]): TableSnapshot {
  return tableSnapshot(head, head.services.map((s, i) => ({ spec: s.spec, stats: s.stats, rates: s.rates, dests: dests[i]! })));
}

/** A snapshot from the settings and the services as entries. */
export function tableSnapshot(settings: TableSettings, services: readonly ServiceEntry[]): TableSnapshot {
  return { version: settings.info.version, size: settings.info.connTabSize, services, timeouts: settings.timeouts, daemons: settings.daemons };
}

export type BatchResult = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** Ops of one applyBatch queued at once: above what the engine keeps in flight (its receive-buffer budget). */
const BATCH_WINDOW = 8192;

const HINT = 'this kernel has no IPVS (CONFIG_IP_VS); load it with `modprobe ip_vs` or use another data plane';

export class IpvsClient {
  private constructor(private readonly engine: NetlinkEngine, readonly family: number) {}

  /** Opens a generic netlink socket and resolves the IPVS family; fails with NetlinkError ENOENT without IPVS. */
  static async open(opts: IpvsClientOptions = {}): Promise<IpvsClient> {
    const transport = opts.transport ?? NetlinkSocket.open({
      protocol: NETLINK_GENERIC,
      ...(opts.rcvbufBytes !== undefined ? { rcvbufBytes: opts.rcvbufBytes } : {}),
      ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
    });
    const engine = new NetlinkEngine(transport, opts);
    try {
      const fam = await resolveFamily(engine, IPVS_GENL_NAME, HINT);
      return new IpvsClient(engine, fam.id);
    } catch (e) {
      engine.close();
      throw e;
    }
  }

  close(): void {
    this.engine.close();
  }

  private async ask(req: NlRequest): Promise<NlMessage[]> {
    try {
      const replies = await this.engine.request(req);
      return replies.filter((m) => m.type === this.family);
    } catch (e) {
      throw toTableError(e);
    }
  }

  async getInfo(): Promise<IpvsInfo> {
    const [m] = await this.ask(ipvsRequest(this.family, 'GET_INFO', () => ({}), () => 'get IPVS info'));
    const a = m ? decodeIpvs(m, 'SET_INFO') : {};
    const code = a.version ?? 0;
    return { version: `${(code >> 16) & 0xff}.${(code >> 8) & 0xff}.${code & 0xff}`, versionCode: code, connTabSize: a.connTabSize ?? 0 };
  }

  private toService(m: NlMessage): IpvsService {
    const attrs = decodeIpvs(m, 'NEW_SERVICE').service ?? {};
    return { spec: serviceFromAttrs(attrs), ...statsFromAttrs(attrs), attrs };
  }

  /** Every service in the kernel's (hash) order, each decoded as its part of the dump arrives. */
  private async dumpServices<T>(decode: (m: NlMessage) => T): Promise<T[]> {
    const out: T[] = [];
    const req = ipvsRequest(this.family, 'GET_SERVICE', () => ({}), () => 'list IPVS services', true);
    await this.ask({ ...req, onReply: (m) => { if (m.type === this.family) out.push(decode(m)); } });
    return out;
  }

  /** Every service, in the kernel's (hash) order. */
  listServices(): Promise<IpvsService[]> {
    return this.dumpServices((m) => this.toService(m));
  }

  /** Every service with its counters left unread (0), in the kernel's order: what listings without counters need. */
  listServiceSpecs(): Promise<ServiceHead[]> {
    return this.dumpServices((m) => ({ spec: serviceFromAttrs(decodeIpvs(m, 'NEW_SERVICE', cmdServiceWithoutStats).service ?? {}), ...NO_STATS }));
  }

  /** One service; TableError ESRCH when there is none. */
  async getService(id: ServiceId): Promise<IpvsService> {
    const [m] = await this.ask(ipvsRequest(this.family, 'GET_SERVICE', () => ({ service: serviceIdAttrs(id) }), () => `get service ${serviceKey(id)}`));
    if (!m) throw new NetlinkFormatError(`get service ${serviceKey(id)}: the kernel acked without the service`);
    return this.toService(m);
  }

  /** A service's dests in the kernel's (insertion) order; empty when the service does not exist (kernel behaviour). */
  async listDests(id: ServiceId): Promise<IpvsDest[]> {
    const parts = await this.ask(ipvsRequest(this.family, 'GET_DEST', () => ({ service: serviceIdAttrs(id) }), () => `list dests of ${serviceKey(id)}`));
    return parts.map((m) => {
      const attrs = decodeIpvs(m, 'NEW_DEST').dest ?? {};
      return { ...destFromAttrs(attrs, serviceFamily(id)), ...statsFromAttrs(attrs), attrs };
    });
  }

  async getTimeouts(): Promise<Timeouts> {
    const [m] = await this.ask(ipvsRequest(this.family, 'GET_CONFIG', () => ({}), () => 'get IPVS timeouts'));
    const a = m ? decodeIpvs(m, 'SET_CONFIG') : {};
    return { tcp: a.timeoutTcp ?? 0, tcpFin: a.timeoutTcpFin ?? 0, udp: a.timeoutUdp ?? 0 };
  }

  async listDaemons(): Promise<SyncDaemon[]> {
    const parts = await this.ask(ipvsRequest(this.family, 'GET_DAEMON', () => ({}), () => 'list sync daemons'));
    return parts.map((m) => daemonFromAttrs(decodeIpvs(m, 'NEW_DAEMON').daemon ?? {}));
  }

  /** Version, timeouts and sync daemons. */
  async listSettings(): Promise<TableSettings> {
    const [info, timeouts, daemons] = await Promise.all([this.getInfo(), this.getTimeouts(), this.listDaemons()]);
    return { info, timeouts, daemons };
  }

  /** The table without real servers: the settings and the services, with their counters unless `counters` is false. */
  async listHead(counters = true): Promise<TableHead> {
    const [settings, services] = await Promise.all([this.listSettings(), counters ? this.listServices() : this.listServiceSpecs()]);
    return { ...settings, services };
  }

  /** The whole table: services with their dests, counters and rates, timeouts, daemons, version. */
  async list(): Promise<TableSnapshot> {
    const head = await this.listHead();
    // One dump at a time per socket: the engine queues these and runs them back to back.
    const dests = await Promise.all(head.services.map((s) => this.listDests(s.spec.id)));
    return withDests(head, dests);
  }

  /** One table operation; TableError(errno) when the kernel refuses it. */
  async apply(op: TableOp): Promise<void> {
    await this.ask(opRequest(this.family, op));
  }

  /**
   * Many operations in order, pipelined: the kernel applies them one after another as they arrive, and each
   * gets its own result (a refusal does not stop the rest). Results are in the order of `ops`.
   */
  applyBatch(ops: readonly TableOp[]): Promise<BatchResult[]> {
    const ok: BatchResult = { ok: true };
    const results = new Array<BatchResult>(ops.length);
    let left = ops.length;
    let next = 0;
    let filling = false;
    return new Promise((resolve) => {
      if (left === 0) resolve(results);
      // Callbacks, not a promise per op: at 100,000 ops the promises alone would double the garbage. Only a
      // window is queued at a time, each result making room for the next op: a queued request costs a few
      // hundred bytes, and memory is what a large load pays for most (a page fault each 4 KiB under
      // user-mode Linux). A closed engine answers synchronously, hence the loop rather than recursion.
      const fill = (): void => {
        if (filling) return;
        filling = true;
        while (next < ops.length && next - (ops.length - left) < BATCH_WINDOW) {
          const i = next++;
          this.engine.submit(opRequest(this.family, ops[i]!), (err) => {
            results[i] = err ? { ok: false, error: toTableError(err) } : ok;
            if (--left === 0) resolve(results);
            fill();
          });
        }
        filling = false;
      };
      fill();
    });
  }

  addService(spec: ServiceSpec): Promise<void> { return this.apply({ op: 'add-service', spec }); }
  editService(spec: ServiceSpec): Promise<void> { return this.apply({ op: 'edit-service', spec }); }
  delService(id: ServiceId): Promise<void> { return this.apply({ op: 'del-service', id }); }
  addDest(service: ServiceId, dest: DestSpec): Promise<void> { return this.apply({ op: 'add-dest', service, dest }); }
  editDest(service: ServiceId, dest: DestSpec): Promise<void> { return this.apply({ op: 'edit-dest', service, dest }); }
  delDest(service: ServiceId, addr: IpAddr, port: number): Promise<void> { return this.apply({ op: 'del-dest', service, addr, port }); }
  flush(): Promise<void> { return this.apply({ op: 'flush' }); }
  zero(service?: ServiceId): Promise<void> { return this.apply(service ? { op: 'zero', service } : { op: 'zero' }); }
  setTimeouts(timeouts: Timeouts): Promise<void> { return this.apply({ op: 'set-timeouts', timeouts }); }
  startDaemon(daemon: SyncDaemon): Promise<void> { return this.apply({ op: 'start-daemon', daemon }); }
  stopDaemon(state: 'master' | 'backup'): Promise<void> { return this.apply({ op: 'stop-daemon', state }); }
}
