/** What the desired table reads from health checking: per real server up/down and weight, per service quorum. */
import type { RealServer, VirtualServer } from '../model/config.js';
import { initialQuorum } from './quorum.js';

export interface RsHealth {
  /** Passing all its checkers (keepalived ISALIVE(rs)). */
  readonly alive: boolean;
  /** The weight to program while alive: the configured one changed by misc_dynamic and FILE_CHECK, 0..INT32_MAX. */
  readonly weight: number;
}

export interface HealthView {
  realServer(vs: VirtualServer, rs: RealServer): RsHealth;
  /** keepalived quorum_state_up: while false a sorry_server replaces the live real servers. */
  quorumUp(vs: VirtualServer): boolean;
}

const INT32_MAX = 2147483647;

/** check_data.h real_weight: what IPVS is given for an effective weight. */
export function realWeight(effective: number): number {
  return Math.min(INT32_MAX, Math.max(0, effective));
}

/**
 * keepalived's state before any check has run: a real server is up unless one of its checkers starts down
 * (alpha on the checker, real server or virtual server); FILE_CHECKs count as passing until their file is read.
 */
function startsAlive(rs: RealServer): boolean {
  return rs.checkers.every((c) => c.type === 'FILE_CHECK' || !c.alpha);
}

export const initialHealth: HealthView = {
  realServer: (_vs, rs) => ({ alive: startsAlive(rs), weight: rs.weight }),
  quorumUp: (vs) => {
    const live = vs.realServers.reduce((sum, rs) => sum + (startsAlive(rs) ? rs.weight : 0), 0);
    return initialQuorum(live, vs.quorum, vs.hysteresis);
  },
};
