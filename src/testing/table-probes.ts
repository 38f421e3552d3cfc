import { TableError, type TableErrno } from '../model/errors.js';
import type { TableOp } from '../model/ops.js';
import type { ServiceId } from '../model/service.js';
import { destSpec, ip, serviceSpec, svcId } from './specs.js';
import { FakeIpvs } from './fake-ipvs.js';

/**
 * Invalid and edge-case table operations, in order (each sees the table the earlier ones left), with the
 * answer kernel IPVS 6.1 gives to each over generic netlink (net/netfilter/ipvs/ip_vs_ctl.c). The kernel
 * tier sends them to a real kernel and to the in-memory table and expects the same errno per probe; the unit
 * tier pins the in-memory table's answers to `kernel`, so the rules hold without booting a kernel.
 * Addresses are lab-only (198.18.0.0/15, 2001:2::/48).
 */
export interface TableProbe {
  readonly label: string;
  readonly op: TableOp;
  /** What the kernel answers: null for success, else the errno it refuses with. */
  readonly kernel: TableErrno | null;
}

const web = svcId('198.18.20.1:80');
const sip = svcId('198.18.20.3:5060', 'udp');
const v6 = svcId('[2001:2::20]:80');
const mark7: ServiceId = { kind: 'fwmark', fwmark: 7, af: 4 };
const mark0: ServiceId = { kind: 'fwmark', fwmark: 0, af: 4 };
const missing = svcId('198.18.20.99:80');

const add = (id: ServiceId, over: Parameters<typeof serviceSpec>[1] = {}): TableOp => ({ op: 'add-service', spec: serviceSpec(id, { scheduler: 'rr', ...over }) });
const edit = (id: ServiceId, over: Parameters<typeof serviceSpec>[1] = {}): TableOp => ({ op: 'edit-service', spec: serviceSpec(id, { scheduler: 'rr', ...over }) });
const addDest = (id: ServiceId, at: string, over: Parameters<typeof destSpec>[1] = {}): TableOp => ({ op: 'add-dest', service: id, dest: destSpec(at, over) });
const editDest = (id: ServiceId, at: string, over: Parameters<typeof destSpec>[1] = {}): TableOp => ({ op: 'edit-dest', service: id, dest: destSpec(at, over) });

export const TABLE_PROBES: readonly TableProbe[] = [
  // services: identity, scheduler, persistence engine, netmask (ip_vs_genl_set_cmd, ip_vs_add_service)
  { label: 'add a service', op: add(web), kernel: null },
  { label: 'add it again', op: add(web), kernel: 'EEXIST' },
  { label: 'unknown scheduler', op: add(svcId('198.18.20.2:80'), { scheduler: 'nosuch' }), kernel: 'ENOENT' },
  { label: 'twos is not in 6.1', op: add(svcId('198.18.20.2:80'), { scheduler: 'twos' }), kernel: 'ENOENT' },
  { label: 'scheduler name over 15 bytes', op: add(svcId('198.18.20.2:80'), { scheduler: 'abcdefghijklmnop' }), kernel: 'EINVAL' },
  { label: 'the sip persistence engine', op: add(sip, { persistence: 60, pe: 'sip' }), kernel: null },
  { label: 'unknown persistence engine', op: add(svcId('198.18.20.4:5060', 'udp'), { persistence: 60, pe: 'nosuch' }), kernel: 'ENOENT' },
  // PE_NAME's policy allows IP_VS_PENAME_MAXLEN bytes, SCHED_NAME's one fewer
  { label: 'persistence engine name of 16 bytes', op: add(svcId('198.18.20.4:5060', 'udp'), { pe: 'abcdefghijklmnop' }), kernel: 'ENOENT' },
  { label: 'persistence engine name over 16 bytes', op: add(svcId('198.18.20.4:5060', 'udp'), { pe: 'abcdefghijklmnopq' }), kernel: 'EINVAL' },
  { label: 'IPv6 prefix 0', op: add(v6, { netmask: 0 }), kernel: 'EINVAL' },
  { label: 'IPv6 prefix 129', op: add(v6, { netmask: 129 }), kernel: 'EINVAL' },
  { label: 'IPv6 prefix 64', op: add(v6, { persistence: 300, netmask: 64 }), kernel: null },
  { label: 'IPv4 mask 0 with persistence', op: add(svcId('198.18.20.5:80'), { persistence: 300, netmask: 0 }), kernel: null },
  { label: 'port 0 without persistence', op: add(svcId('198.18.20.6:0')), kernel: null },
  { label: 'one-packet scheduling on TCP', op: add(svcId('198.18.20.7:80'), { ops: true }), kernel: null },
  { label: 'fwmark 7', op: add(mark7, { scheduler: 'mh' }), kernel: null },
  { label: 'fwmark 7 for IPv6 is another service', op: add({ kind: 'fwmark', fwmark: 7, af: 6 }, { netmask: 128 }), kernel: null },
  { label: 'fwmark 0 is taken as TCP 0.0.0.0:0', op: add(mark0), kernel: null },
  { label: 'so TCP 0.0.0.0:0 exists', op: add(svcId('0.0.0.0:0')), kernel: 'EEXIST' },
  { label: 'edit a missing service', op: edit(missing), kernel: 'ESRCH' },
  { label: 'edit to an unknown scheduler', op: edit(web, { scheduler: 'nosuch' }), kernel: 'ENOENT' },
  { label: 'edit to an unknown persistence engine', op: edit(web, { pe: 'nosuch' }), kernel: 'ENOENT' },
  { label: 'edit a missing service to an unknown scheduler', op: edit(missing, { scheduler: 'nosuch' }), kernel: 'ESRCH' },
  { label: 'edit to IPv6 prefix 0', op: edit(v6, { netmask: 0 }), kernel: 'EINVAL' },
  { label: 'edit to the sip engine', op: edit(web, { persistence: 30, pe: 'sip' }), kernel: null },
  { label: 'delete a missing service', op: { op: 'del-service', id: missing }, kernel: 'ESRCH' },
  { label: 'zero a missing service', op: { op: 'zero', service: missing }, kernel: 'ESRCH' },
  { label: 'zero everything', op: { op: 'zero' }, kernel: null },
  // real servers (ip_vs_add_dest, ip_vs_edit_dest, ip_vs_new_dest, ip_vs_del_dest)
  { label: 'add a dest to a missing service', op: addDest(missing, '198.18.21.1:80'), kernel: 'ESRCH' },
  { label: 'add a dest', op: addDest(web, '198.18.21.1:80'), kernel: null },
  { label: 'add it again', op: addDest(web, '198.18.21.1:80'), kernel: 'EEXIST' },
  { label: 'weight above INT_MAX, even for an existing dest', op: addDest(web, '198.18.21.1:80', { weight: 0x80000000 }), kernel: 'ERANGE' },
  { label: 'weight INT_MAX', op: addDest(web, '198.18.21.2:80', { weight: 0x7fffffff }), kernel: null },
  { label: 'lower threshold above upper', op: addDest(web, '198.18.21.3:80', { uThreshold: 5, lThreshold: 10 }), kernel: 'ERANGE' },
  { label: 'lower threshold with no upper', op: addDest(web, '198.18.21.3:80', { lThreshold: 10 }), kernel: 'ERANGE' },
  { label: 'GUE tunnel without a port', op: addDest(web, '198.18.21.4:80', { fwd: 'tunnel', tunType: 'gue' }), kernel: 'EINVAL' },
  { label: 'GUE tunnel with a port', op: addDest(web, '198.18.21.4:80', { fwd: 'tunnel', tunType: 'gue', tunPort: 6080 }), kernel: null },
  { label: 'GUE settings on a NAT dest are not sent', op: addDest(web, '198.18.21.5:80', { tunType: 'gue' }), kernel: null },
  { label: 'IPv6 dest behind an IPv4 service, NAT', op: addDest(web, '[2001:2::21]:80'), kernel: 'EINVAL' },
  { label: 'IPv6 dest behind an IPv4 service, tunnel', op: addDest(web, '[2001:2::21]:80', { fwd: 'tunnel' }), kernel: null },
  { label: 'dest 0.0.0.0', op: addDest(web, '0.0.0.0:80'), kernel: 'EINVAL' },
  { label: 'dest 224.0.0.1 (multicast)', op: addDest(web, '224.0.0.1:80'), kernel: 'EINVAL' },
  { label: 'dest 255.255.255.255', op: addDest(web, '255.255.255.255:80'), kernel: 'EINVAL' },
  { label: 'dest fe80::1 (link-local)', op: addDest(v6, '[fe80::1]:80'), kernel: 'EINVAL' },
  { label: 'dest ff02::1 (multicast)', op: addDest(v6, '[ff02::1]:80'), kernel: 'EINVAL' },
  { label: 'dest ::', op: addDest(v6, '[::]:80'), kernel: 'EINVAL' },
  { label: 'dest port 0 behind a fwmark', op: addDest(mark7, '198.18.21.6:0', { fwd: 'route' }), kernel: null },
  { label: 'edit a missing dest', op: editDest(web, '198.18.21.9:80'), kernel: 'ENOENT' },
  { label: 'edit a missing dest with a bad weight', op: editDest(web, '198.18.21.9:80', { weight: 0x80000000 }), kernel: 'ERANGE' },
  { label: 'edit a missing dest to GUE without a port', op: editDest(web, '198.18.21.9:80', { fwd: 'tunnel', tunType: 'gue' }), kernel: 'EINVAL' },
  { label: 'drain a dest (weight 0)', op: editDest(web, '198.18.21.1:80', { weight: 0 }), kernel: null },
  { label: 'edit a dest of a missing service', op: editDest(missing, '198.18.21.1:80'), kernel: 'ESRCH' },
  { label: 'delete a missing dest', op: { op: 'del-dest', service: web, addr: ip('198.18.21.9'), port: 80 }, kernel: 'ENOENT' },
  { label: 'delete a dest of a missing service', op: { op: 'del-dest', service: missing, addr: ip('198.18.21.1'), port: 80 }, kernel: 'ESRCH' },
  { label: 'delete the mixed-family dest', op: { op: 'del-dest', service: web, addr: ip('2001:2::21'), port: 80 }, kernel: null },
  { label: 'delete a dest', op: { op: 'del-dest', service: web, addr: ip('198.18.21.1'), port: 80 }, kernel: null },
  { label: 'add it back', op: addDest(web, '198.18.21.1:80'), kernel: null },
  // settings (ip_vs_set_timeout, ip_vs_genl_new_daemon, stop_sync_thread)
  { label: 'timeouts 0 keep the current ones', op: { op: 'set-timeouts', timeouts: { tcp: 0, tcpFin: 0, udp: 0 } }, kernel: null },
  { label: 'TCP timeout INT_MAX/HZ (HZ 100)', op: { op: 'set-timeouts', timeouts: { tcp: 21474836, tcpFin: 0, udp: 0 } }, kernel: null },
  { label: 'TCP timeout above INT_MAX/HZ', op: { op: 'set-timeouts', timeouts: { tcp: 21474837, tcpFin: 0, udp: 0 } }, kernel: 'EINVAL' },
  { label: 'UDP timeout 2^32-1', op: { op: 'set-timeouts', timeouts: { tcp: 0, tcpFin: 0, udp: 0xffffffff } }, kernel: 'EINVAL' },
  { label: 'stop a sync daemon that is not running', op: { op: 'stop-daemon', state: 'master' }, kernel: 'ESRCH' },
  { label: 'sync group that is not multicast', op: { op: 'start-daemon', daemon: { state: 'master', mcastIfn: 'lo', syncId: 1, group: '198.18.0.1' } }, kernel: 'EINVAL' },
  { label: 'sync interface name over 15 bytes', op: { op: 'start-daemon', daemon: { state: 'master', mcastIfn: 'abcdefghijklmnop', syncId: 1 } }, kernel: 'EINVAL' },
  // the whole table
  { label: 'delete fwmark 0 (TCP 0.0.0.0:0)', op: { op: 'del-service', id: mark0 }, kernel: null },
  { label: 'flush', op: { op: 'flush' }, kernel: null },
  { label: 'the flushed service is gone', op: { op: 'del-service', id: web }, kernel: 'ESRCH' },
];

/** A probe's outcome: null (applied), the errno of the refusal, or `not a table error: …` (a bug). */
export type ProbeAnswer = string | null;

export function answerOf(e: unknown): ProbeAnswer {
  return e instanceof TableError ? e.errno : `not a table error: ${e instanceof Error ? e.message : String(e)}`;
}

/** The answers of the in-memory table of FakeIpvs (kernel rules, KERNEL_6_1) to every probe, from empty. */
export function memoryAnswers(): ProbeAnswer[] {
  const table = new FakeIpvs().table;
  return TABLE_PROBES.map((p) => {
    try {
      table.apply(p.op);
      return null;
    } catch (e) {
      return answerOf(e);
    }
  });
}
