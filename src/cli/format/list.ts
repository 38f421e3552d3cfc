/**
 * `-L` listings, byte for byte as ipvsadm.c prints them (list_all, print_title, print_service_entry),
 * trailing blanks included. `-S` shares the walk and lives in ../save.ts.
 */
import { v4Text } from '../../model/address.js';
import type { ServiceId, ServiceSpec } from '../../model/service.js';
import { serviceKey } from '../../model/service.js';
import type { DestEntry, ServiceEntry, TableSnapshot } from '../../model/table.js';
import type { Format } from '../args/entry.js';
import { anySchedFlag, destName, fwdName, schedFlagsText, serviceName, tunnelInfo } from './names.js';
import { d32, largenum, left, right, u } from './printf.js';
import { sortDests, sortServices } from './sort.js';

const TITLE_COL = 'Prot LocalAddress:Port';
const REMOTE = '  -> RemoteAddress:Port\n';

/** print_title(). */
export function title(f: Format): string {
  const cols = (head: readonly string[], widths: readonly number[], justify: 'left' | 'right'): string =>
    `${left(TITLE_COL, 33)}${head.map((h, i) => ` ${justify === 'left' ? left(h, widths[i]!) : right(h, widths[i]!)}`).join('')}\n${REMOTE}`;
  if (f.stats) return cols(['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'], [8, 8, 8, 8, 8], 'right');
  if (f.rate) return cols(['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'], [8, 8, 8, 8, 8], 'right');
  if (f.thresholds) return cols(['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'], [10, 10, 10, 10], 'left');
  if (f.persistentConn) return cols(['Weight', 'PersistConn', 'ActiveConn', 'InActConn'], [9, 11, 10, 10], 'left');
  if (f.tunInfo) {
    return `Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n`;
  }
  if (f.rule) return '';
  return `Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n`;
}

/** The services in listing order: ipvs_cmp_services unless --nosort. */
export function servicesInOrder(t: TableSnapshot, f: Format): readonly ServiceEntry[] {
  return f.nosort ? t.services : sortServices(t.services);
}

export function destsInOrder(s: ServiceEntry, f: Format): readonly DestEntry[] {
  return f.nosort ? s.dests : sortDests(s.dests);
}

/** list_all() for -L: version line, title, every service, each handed to `out` as soon as it is made. */
export function listAll(t: TableSnapshot, f: Format, out: (text: string) => void): void {
  out(`IP Virtual Server version ${t.version} (size=${t.size})\n${title(f)}`);
  for (const s of servicesInOrder(t, f)) out(serviceBlock(s, f));
}

/** list_service() for -L -t/-u/-f: title and that service, or null when there is no such service. */
export function listService(t: TableSnapshot, id: ServiceId, f: Format): string | null {
  const key = serviceKey(id);
  const s = t.services.find((e) => serviceKey(e.spec.id) === key);
  return s ? title(f) + serviceBlock(s, f) : null;
}

/** print_service_entry() outside rule format. */
function serviceBlock(s: ServiceEntry, f: Format): string {
  const name = serviceName(s.spec, f);
  let line: string;
  if (f.stats) {
    const c = s.stats;
    line = left(name, 33) + [c.conns, c.inPkts, c.outPkts, c.inBytes, c.outBytes].map((n) => largenum(n, f.exact)).join('');
  } else if (f.rate) {
    const r = s.rates;
    line = left(name, 33) + [r.cps, r.inPps, r.outPps, r.inBps, r.outBps].map((n) => largenum(n, f.exact)).join('');
  } else {
    line = `${name} ${s.spec.scheduler}${serviceFlags(s)}`;
  }
  return `${line}\n${destsInOrder(s, f).map((d) => destLine(d, s, f)).join('')}`;
}

/** The flags after the scheduler: ( sched flags ) persistent N mask M pe P ops. */
function serviceFlags(s: ServiceEntry): string {
  const spec = s.spec;
  let out = anySchedFlag(spec) ? ` (${schedFlagsText(spec)})` : '';
  if (spec.persistence) {
    out += ` persistent ${spec.persistence}`;
    out += netmaskSuffix(s.spec, ' mask ');
    if (spec.pe) out += ` pe ${spec.pe}`;
  }
  return spec.ops ? `${out} ops` : out;
}

/** ` mask …` / ` -M …` when the persistence mask is not a full host mask. */
export function netmaskSuffix(spec: ServiceSpec, label: string): string {
  const af = spec.id.kind === 'addr' ? spec.id.addr.af : spec.id.af;
  const m = spec.netmask;
  if (af === 4) return m >>> 0 !== 0xffffffff ? `${label}${v4Text(m >>> 0)}` : '';
  return m !== 128 ? `${label}${d32(m)}` : '';
}

function destLine(d: DestEntry, s: ServiceEntry, f: Format): string {
  const name = `  -> ${left(destName(d.spec, s.spec, f), 28)}`;
  const spec = d.spec;
  if (f.stats) {
    const c = d.stats;
    return `${name}${[c.conns, c.inPkts, c.outPkts, c.inBytes, c.outBytes].map((n) => largenum(n, f.exact)).join('')}\n`;
  }
  if (f.rate) {
    const r = d.rates;
    // cps, inpps and outpps print with %8llu, not print_largenum
    return `${name} ${right(u(r.cps), 8)} ${right(u(r.inPps), 8)} ${right(u(r.outPps), 8)}${largenum(r.inBps, f.exact)}${largenum(r.outBps, f.exact)}\n`;
  }
  const cols = (...c: [string | number | bigint, number][]): string => `${name}${c.map(([v, w]) => ` ${left(String(v), w)}`).join('')}\n`;
  if (f.thresholds) return cols([u(spec.uThreshold), 10], [u(spec.lThreshold), 10], [u(d.activeConns), 10], [u(d.inactConns), 10]);
  if (f.persistentConn) return cols([u(spec.weight), 9], [u(d.persistConns), 11], [u(d.activeConns), 10], [u(d.inactConns), 10]);
  if (f.tunInfo) {
    return cols([fwdName(spec.fwd), 7], [tunnelInfo(spec), 13], [d32(spec.weight), 6], [u(d.activeConns), 10], [u(d.inactConns), 10]);
  }
  return cols([fwdName(spec.fwd), 7], [d32(spec.weight), 6], [u(d.activeConns), 10], [u(d.inactConns), 10]);
}
