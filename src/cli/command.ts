/**
 * argv → what to do: one table operation, a listing, a save or a restore. parse → check → convert, as
 * ipvsadm's process_options() does before it acts.
 */
import type { TableOp } from '../model/ops.js';
import { protocolFromNumber } from '../model/protocol.js';
import type { DestSpec, ServiceId, ServiceSpec, TunnelType } from '../model/service.js';
import { checkEntry } from './args/check.js';
import { TUN_NAMES, type CommandEntry, type Format } from './args/entry.js';
import { parseOptions } from './args/parse.js';

export type ListWhat =
  | { readonly kind: 'all' }
  | { readonly kind: 'service'; readonly service: ServiceId }
  | { readonly kind: 'connections' }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'daemon' };

export type Command =
  | { readonly kind: 'apply'; readonly op: TableOp }
  | { readonly kind: 'list'; readonly what: ListWhat; readonly format: Format }
  | { readonly kind: 'save'; readonly format: Format }
  | { readonly kind: 'restore' };

/** Parses and checks one invocation (argv[0] = program). Throws CliExit as ipvsadm would exit. */
export function parseCommand(argv: readonly string[]): Command {
  const ce = parseOptions(argv);
  checkEntry(ce);
  return toCommand(ce);
}

function toCommand(ce: CommandEntry): Command {
  const hasService = ce.options.has('service-address');
  switch (ce.cmd!) {
    case 'list': return { kind: 'list', what: listWhat(ce), format: ce.format };
    case 'save': return { kind: 'save', format: { ...ce.format, rule: true } };
    case 'restore': return { kind: 'restore' };
    case 'flush': return { kind: 'apply', op: { op: 'flush' } };
    case 'add-service': return { kind: 'apply', op: { op: 'add-service', spec: serviceSpec(ce) } };
    case 'edit-service': return { kind: 'apply', op: { op: 'edit-service', spec: serviceSpec(ce) } };
    case 'delete-service': return { kind: 'apply', op: { op: 'del-service', id: serviceId(ce) } };
    case 'zero': {
      // libipvs sends no service, so zeroes everything, when fwmark, address and port are all zero
      const s = ce.svc;
      const named = hasService && (s.fwmark !== 0 || s.port !== 0 || (s.addr !== null && s.addr.text !== '0.0.0.0' && s.addr.text !== '::'));
      return { kind: 'apply', op: named ? { op: 'zero', service: serviceId(ce) } : { op: 'zero' } };
    }
    case 'add-server': return { kind: 'apply', op: { op: 'add-dest', service: serviceId(ce), dest: destSpec(ce) } };
    case 'edit-server': return { kind: 'apply', op: { op: 'edit-dest', service: serviceId(ce), dest: destSpec(ce) } };
    case 'delete-server':
      return { kind: 'apply', op: { op: 'del-dest', service: serviceId(ce), addr: ce.dest.addr!, port: ce.dest.port } };
    case 'set': return { kind: 'apply', op: { op: 'set-timeouts', timeouts: { ...ce.timeouts } } };
    case 'start-daemon': {
      const d = ce.daemon;
      const daemon = {
        state: d.state!, mcastIfn: d.mcastIfn, syncId: d.syncId,
        ...(d.maxLen ? { maxLen: d.maxLen } : {}), ...(d.group !== null ? { group: d.group } : {}),
        ...(d.port ? { port: d.port } : {}), ...(d.ttl ? { ttl: d.ttl } : {}),
      };
      return { kind: 'apply', op: { op: 'start-daemon', daemon } };
    }
    case 'stop-daemon': return { kind: 'apply', op: { op: 'stop-daemon', state: ce.daemon.state! } };
  }
}

function listWhat(ce: CommandEntry): ListWhat {
  const o = ce.options;
  if (o.has('connection')) return { kind: 'connections' };
  if (o.has('service-address')) return { kind: 'service', service: serviceId(ce) };
  if (o.has('timeout')) return { kind: 'timeout' };
  if (o.has('daemon')) return { kind: 'daemon' };
  return { kind: 'all' };
}

/** The service identity the entry names: fwmark (+family) or protocol/address/port. */
function serviceId(ce: CommandEntry): ServiceId {
  const s = ce.svc;
  if (s.fwmark) return { kind: 'fwmark', fwmark: s.fwmark, af: s.af === 6 ? 6 : 4 };
  return { kind: 'addr', protocol: protocolFromNumber(s.protocol)!, addr: s.addr!, port: s.port };
}

function serviceSpec(ce: CommandEntry): ServiceSpec {
  const s = ce.svc;
  return {
    id: serviceId(ce), scheduler: s.sched, flags: s.schedFlags, persistence: s.persistent ? s.timeout : 0,
    netmask: s.netmask, ops: s.onePacket, pe: s.pe,
  };
}

function destSpec(ce: CommandEntry): DestSpec {
  const d = ce.dest;
  return {
    addr: d.addr!, port: d.port, weight: d.weight, fwd: d.fwd, tunType: TUN_NAMES[d.tunType] as TunnelType,
    tunPort: d.tunPort, tunFlags: d.tunFlags, uThreshold: d.uThreshold, lThreshold: d.lThreshold,
  };
}
