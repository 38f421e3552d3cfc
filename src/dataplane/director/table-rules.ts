import { parseIp, v4ToU32, v6ToWords, type IpAddr } from '../../model/address.js';
import { TableError } from '../../model/errors.js';
import { SCHEDULER_NAMES } from '../../model/scheduler.js';
import { serviceFamily, serviceKey, type DestSpec, type ServiceId, type ServiceSpec } from '../../model/service.js';
import type { SyncDaemon, Timeouts } from '../../model/table.js';

/**
 * The kernel's rules for what a table operation may do, as Linux 6.1 applies them to generic netlink requests
 * (net/netfilter/ipvs/ip_vs_ctl.c: the attribute policies, ip_vs_genl_set_cmd, ip_vs_add_service,
 * ip_vs_edit_service, ip_vs_add_dest, ip_vs_edit_dest, ip_vs_new_dest, ip_vs_set_timeout,
 * ip_vs_genl_new_daemon), in one place for every in-memory table. The checks are split as the kernel
 * orders them, so the same mistake gets the same errno even when an op has two: attribute checks come
 * before existence (EEXIST, ESRCH, ENOENT), which comes before the per-command checks.
 * test/kernel's table-rules scenario pins each rule against a real kernel (src/testing/table-probes.ts).
 */

/** What differs between tables that follow the same rules: the modules they have, and the tick. */
export interface TableCapabilities {
  /** Scheduler names ip_vs_scheduler_get finds (the ip_vs_<name> modules); others are ENOENT. */
  readonly schedulers: ReadonlySet<string>;
  /** Persistence engines ip_vs_pe_getbyname finds (ip_vs_pe_<name>); others are ENOENT. */
  readonly persistenceEngines: ReadonlySet<string>;
  /** CONFIG_HZ: ip_vs_set_timeout refuses a timeout above INT_MAX / HZ (seconds × HZ must fit an int). */
  readonly hz: number;
}

/**
 * Debian's Linux 6.1, the kernel the kernel tier boots (`linux.uml --showconfig`): every in-tree scheduler
 * but twos (CONFIG_IP_VS_TWOS is not set), the sip engine, HZ 100. The fakes of kernel IPVS use this.
 */
export const KERNEL_6_1: TableCapabilities = {
  schedulers: new Set(SCHEDULER_NAMES.filter((n) => n !== 'twos')),
  persistenceEngines: new Set(['sip']),
  hz: 100,
};

/** The userspace director: the schedulers of dataplane/sched, no persistence engine, the kernel's limits. */
export const USERSPACE: TableCapabilities = {
  schedulers: new Set(SCHEDULER_NAMES),
  persistenceEngines: new Set(),
  hz: KERNEL_6_1.hz,
};

const INT_MAX = 0x7fffffff;

/**
 * ip_vs_svc_policy / ip_vs_daemon_policy: names are NLA_NUL_STRING of at most `max` bytes, else the parse
 * fails. SCHED_NAME and MCAST_IFN allow IP_VS_SCHEDNAME_MAXLEN - 1 and IP_VS_IFNAME_MAXLEN - 1 (15),
 * PE_NAME IP_VS_PENAME_MAXLEN (16). The netlink codec writes names as latin1, one byte per character.
 */
function nameFits(name: string, max: number, what: string): void {
  if (name.length > max) throw new TableError('EINVAL', `${what} '${name}' is longer than ${max} bytes`);
}

/**
 * The key the kernel finds a service by. ip_vs_genl_parse_service takes FWMARK 0 as "no fwmark": the
 * service is then TCP, address 0 and port 0 of its family, so fwmark 0 and TCP 0.0.0.0:0 are one service.
 */
export function kernelServiceId(id: ServiceId): ServiceId {
  if (id.kind === 'addr' || id.fwmark !== 0) return id;
  return { kind: 'addr', protocol: 'tcp', addr: id.af === 4 ? { af: 4, text: '0.0.0.0' } : { af: 6, text: '::' }, port: 0 };
}

export function kernelServiceKey(id: ServiceId): string {
  return serviceKey(kernelServiceId(id));
}

/** Attribute checks of NEW_SERVICE / SET_SERVICE, before the service is looked up. */
export function checkServiceAttrs(spec: ServiceSpec): void {
  nameFits(spec.scheduler, 15, 'scheduler');
  nameFits(spec.pe, 16, 'persistence engine');
}

/** ip_vs_add_service / ip_vs_edit_service, once the service is known to be absent / present. */
export function checkServiceSpec(spec: ServiceSpec, caps: TableCapabilities): void {
  if (!caps.schedulers.has(spec.scheduler)) throw new TableError('ENOENT', `scheduler ${spec.scheduler} not found`);
  if (spec.pe && !caps.persistenceEngines.has(spec.pe)) throw new TableError('ENOENT', `persistence engine ${spec.pe} not found`);
  // only an IPv6 netmask is checked: it is a prefix length; an IPv4 one is any mask
  if (serviceFamily(spec.id) === 6 && (spec.netmask < 1 || spec.netmask > 128)) throw new TableError('EINVAL', `IPv6 prefix length ${spec.netmask} is not 1..128`);
}

/**
 * ip_vs_genl_set_cmd, for NEW_DEST and SET_DEST: a real server of another family than its service only
 * through a tunnel, and not while a sync daemon runs (the sync protocol has no mixed families).
 */
export function checkDestFamily(svc: ServiceSpec, d: DestSpec, syncRunning: boolean): void {
  if (d.addr.af === serviceFamily(svc.id)) return;
  if (syncRunning) throw new TableError('EINVAL', 'a real server of another address family while a sync daemon runs');
  if (d.fwd !== 'tunnel') throw new TableError('EINVAL', 'a real server of another address family needs tunnel forwarding');
}

/** ip_vs_add_dest / ip_vs_edit_dest, before the real server is looked up. */
export function checkDestSpec(d: DestSpec): void {
  // udest->weight is an int: a u32 above INT_MAX arrives negative
  if (d.weight < 0 || d.weight > INT_MAX) throw new TableError('ERANGE', `weight ${d.weight} is out of range`);
  if (d.lThreshold > d.uThreshold) throw new TableError('ERANGE', `lower threshold ${d.lThreshold} is above upper threshold ${d.uThreshold}`);
  // lvsd sends tunnel settings only for tunnel real servers (netlink/ipvs/map.ts destAttrs)
  if (d.fwd === 'tunnel' && d.tunType === 'gue' && d.tunPort === 0) throw new TableError('EINVAL', 'a GUE tunnel needs a tunnel port');
}

/**
 * ip_vs_new_dest, for a real server not in the table yet: its address must be unicast (inet_addr_type
 * RTN_UNICAST or RTN_LOCAL; ipv6_addr_type unicast and not link-local). Local-address exceptions are not
 * modelled: a table in memory has no interfaces.
 */
export function checkNewDestAddr(a: IpAddr): void {
  if (a.af === 4) {
    const u = v4ToU32(a.text);
    const first = u >>> 24;
    // __inet_dev_addr_type: 0.0.0.0/8 and 255.255.255.255 are broadcast, 224/4 multicast
    if (first === 0 || u === 0xffffffff || (first & 0xf0) === 0xe0) throw new TableError('EINVAL', `${a.text} is not a unicast address`);
    return;
  }
  const [w0, w1, w2, w3] = v6ToWords(a.text);
  const unspecified = (w0 | w1 | w2 | w3) === 0;
  const multicast = w0 >>> 24 === 0xff;
  const linkLocal = w0 >>> 22 === 0x3fa; // fe80::/10
  if (unspecified || multicast || linkLocal) throw new TableError('EINVAL', `${a.text} is not a unicast address`);
}

/** ip_vs_set_timeout: each timeout in seconds must fit an int once multiplied by HZ (0 keeps the current one). */
export function checkTimeouts(t: Timeouts, caps: TableCapabilities): void {
  const max = Math.floor(INT_MAX / caps.hz);
  for (const [name, v] of Object.entries(t)) {
    if (v > max) throw new TableError('EINVAL', `${name} timeout ${v} s is above ${max} s`);
  }
}

/** ip_vs_genl_new_daemon, before start_sync_thread looks for a running daemon (EEXIST). */
export function checkDaemon(d: SyncDaemon, mixedFamilyDests: boolean): void {
  nameFits(d.mcastIfn, 15, 'sync interface');
  if (d.group !== undefined && !isMulticast(d.group)) throw new TableError('EINVAL', `sync group ${d.group} is not a multicast address`);
  if (mixedFamilyDests) throw new TableError('EINVAL', 'a sync daemon cannot run with real servers of another address family');
}

function isMulticast(text: string): boolean {
  const a = parseIp(text);
  if (!a) throw new TableError('EINVAL', `sync group ${text} is not an IP address`);
  return a.af === 4 ? v4ToU32(a.text) >>> 28 === 0xe : v6ToWords(a.text)[0] >>> 24 === 0xff;
}
