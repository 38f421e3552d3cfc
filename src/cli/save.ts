/**
 * `-S`: the table as the commands that rebuild it (print_service_entry in FMT_RULE), no version line and no
 * title. Feeding the output to `-R` recreates the same services and real servers.
 */
import type { ServiceEntry, TableSnapshot } from '../model/table.js';
import type { DestSpec, ServiceSpec } from '../model/service.js';
import type { Format } from './args/entry.js';
import { destsInOrder, netmaskSuffix, servicesInOrder } from './format/list.js';
import { anySchedFlag, destName, fwdSwitch, schedFlagsText, serviceName } from './format/names.js';
import { d32 } from './format/printf.js';

const TUN_FLAG_OPTS = ['--tun-nocsum', '--tun-csum', '--tun-remcsum'];

/** Each service's rules are handed to `out` as soon as they are made. */
export function saveRules(t: TableSnapshot, f: Format, out: (text: string) => void): void {
  const rule = { ...f, rule: true };
  for (const s of servicesInOrder(t, rule)) out(serviceRules(s, rule));
}

function serviceRules(s: ServiceEntry, f: Format): string {
  const svc = serviceName(s.spec, f);
  return `${serviceRule('-A', s.spec, f)}${destsInOrder(s, f).map((d) => destRule('-a', d.spec, s.spec, f, svc)).join('')}`;
}

/** `-A|-E -t addr:port -s sched [-p T [-M mask]] [--pe P] [-o] [-b flags]`, one line. */
export function serviceRule(cmd: '-A' | '-E', spec: ServiceSpec, f: Format): string {
  let line = `${cmd} ${serviceName(spec, f)} -s ${spec.scheduler}`;
  if (spec.persistence) line += ` -p ${spec.persistence}${netmaskSuffix(spec, ' -M ')}`;
  if (spec.pe) line += ` --pe ${spec.pe}`;
  if (spec.ops) line += ' -o';
  if (anySchedFlag(spec)) line += ` -b ${schedFlagsText(spec)}`;
  return `${line}\n`;
}

/** `-a|-e … -r … -m|-g|-i -w N`, with the tunnel options for a tunnel (print_tunnel_rule). */
export function destRule(cmd: '-a' | '-e', spec: DestSpec, service: ServiceSpec, f: Format, svc = serviceName(service, f)): string {
  const base = `${cmd} ${svc} -r ${destName(spec, service, f)} ${fwdSwitch(spec.fwd)} -w ${d32(spec.weight)}`;
  if (spec.fwd !== 'tunnel') return `${base}\n`;
  const csum = TUN_FLAG_OPTS[spec.tunFlags] ?? '';
  if (spec.tunType === 'gre') return `${base} --tun-type gre ${csum}\n`;
  if (spec.tunType === 'gue') return `${base} --tun-type gue --tun-port ${spec.tunPort} ${csum}\n`;
  return `${base} --tun-type ipip\n`;
}
