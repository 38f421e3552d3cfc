/**
 * `lvsadm --overrides`: the operator overrides a running lvsd holds (changes made through its control socket
 * while a configuration file is loaded, which drift repair keeps until the next reload), one ipvsadm rule a
 * line in the order that rebuilds them on the file's table: -C, -A/-E/-D for services, -a/-e/-d for real
 * servers. ipvsadm has no --overrides, so no ipvsadm command line changes meaning. Addresses and ports are
 * numeric: the list names identities, as the daemon's log does.
 */
import type { TableOp } from '../model/ops.js';
import type { ServiceId, ServiceSpec } from '../model/service.js';
import { hostMask, NO_SCHED_FLAGS, serviceFamily } from '../model/service.js';
import { newFormat } from './args/entry.js';
import { BackendError, BackendUnavailable } from './backend.js';
import { addrPortName, serviceName } from './format/names.js';
import { destRule, serviceRule } from './save.js';

export const OVERRIDES_OPTION = '--overrides';

export interface OverridesSource {
  overrides(): Promise<readonly TableOp[]>;
}

const RULE = { ...newFormat(), rule: true, numeric: true };

/** Only the names of a service are printed for -D, -d: its other settings do not matter there. */
function named(id: ServiceId): ServiceSpec {
  return { id, scheduler: '', flags: NO_SCHED_FLAGS, persistence: 0, netmask: hostMask(serviceFamily(id)), ops: false, pe: '' };
}

/** One override as the ipvsadm rule that makes it. */
export function overrideRule(op: TableOp): string {
  switch (op.op) {
    case 'flush': return '-C\n';
    case 'add-service': return serviceRule('-A', op.spec, RULE);
    case 'edit-service': return serviceRule('-E', op.spec, RULE);
    case 'del-service': return `-D ${serviceName(named(op.id), RULE)}\n`;
    case 'add-dest': return destRule('-a', op.dest, named(op.service), RULE);
    case 'edit-dest': return destRule('-e', op.dest, named(op.service), RULE);
    case 'del-dest': {
      const svc = named(op.service);
      return `-d ${serviceName(svc, RULE)} -r ${addrPortName(op.addr, op.port, null, true)}\n`;
    }
    default: return `# ${op.op}\n`;
  }
}

/**
 * Runs `lvsadm --overrides` (args: what followed it); source is null when lvsadm was told to use the kernel,
 * which holds no overrides. Resolves to the exit status.
 */
export async function listOverrides(args: readonly string[], source: OverridesSource | null, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (args.length > 0) {
    err(`lvsadm: ${OVERRIDES_OPTION} takes no other options (got ${args.join(' ')})\n`);
    return 2;
  }
  if (!source) {
    err(`lvsadm: ${OVERRIDES_OPTION} lists what a running lvsd holds; it cannot be used with --kernel\n`);
    return 2;
  }
  try {
    out((await source.overrides()).map(overrideRule).join(''));
    return 0;
  } catch (e) {
    if (!(e instanceof BackendUnavailable || e instanceof BackendError)) throw e;
    err(`lvsadm: ${e.message}\n`);
    return e instanceof BackendUnavailable ? 2 : 1;
  }
}
