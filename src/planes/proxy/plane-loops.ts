import type { TableOp } from '../../model/ops.js';
import type { ServiceId, DestSpec } from '../../model/service.js';
import { TableError } from '../../model/errors.js';
import type { ServiceRuntime } from '../../dataplane/director/service.js';
import { hostAddresses, loopMessage, reachesListener, type Endpoint } from './loop-guard.js';

function listenerOf(id: ServiceId): Endpoint | undefined {
  return id.kind === 'addr' && id.protocol !== 'sctp' ? { protocol: id.protocol, addr: id.addr, port: id.port } : undefined;
}

/** Where the plane connects for a real server of a service (port 0 means the service's port, as in IPVS DR). */
function destOf(id: ServiceId, d: Pick<DestSpec, 'addr' | 'port'>): Endpoint | undefined {
  const l = listenerOf(id);
  return l && { protocol: l.protocol, addr: d.addr, port: d.port || l.port };
}

/** A cheap first filter: the address test below asks the system for this host's addresses. */
function samePort(a: Endpoint, b: Endpoint): boolean {
  return a.protocol === b.protocol && a.port === b.port;
}

/**
 * Refuses an op that would make the proxy plane relay into one of its own listeners (issue 11): a real
 * server equal to a virtual service of this plane (its own or another's, 0.0.0.0 listeners included), or a
 * virtual service that an existing real server already points at. Throws the TableError lvsadm and the
 * config load report.
 */
export function refuseLoop(op: TableOp, services: Iterable<ServiceRuntime>): void {
  const all = [...services];
  const pairs: Array<[Endpoint, Endpoint]> = [];
  if (op.op === 'add-dest' || op.op === 'edit-dest') {
    const dest = destOf(op.service, op.dest);
    if (!dest) return;
    for (const s of all) {
      const l = listenerOf(s.spec.id);
      if (l && samePort(dest, l)) pairs.push([dest, l]);
    }
  } else if (op.op === 'add-service') {
    const l = listenerOf(op.spec.id);
    if (!l) return;
    for (const s of all) {
      for (const d of s.dests) {
        const dest = destOf(s.spec.id, d.spec);
        if (dest && samePort(dest, l)) pairs.push([dest, l]);
      }
    }
  }
  if (pairs.length === 0) return;
  const local = hostAddresses();
  for (const [dest, l] of pairs) if (reachesListener(dest, l, local)) throw new TableError('ELOOP', loopMessage(dest, l));
}
