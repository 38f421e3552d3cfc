/**
 * Identity across a reload (keepalived check/ipwrapper.c vs_iseq, rs_exist, migrate_checkers): what must be
 * the same for a virtual server, real server or checker to keep its health state.
 */
import type { Checker, RealServer, VirtualServer } from '../model/config.js';

/** The service a virtual_server line names (vs_iseq compares address/port/protocol, fwmark or group name). */
export function vsKey(vs: VirtualServer): string {
  const k = vs.key;
  if (k.kind === 'addr') return `${vs.protocol ?? 'none'}|${k.addr.text}|${k.port}`;
  if (k.kind === 'fwmark') return `fwm|${vs.family}|${k.fwmark}`;
  return `group|${k.group}`;
}

/** rs_exist: a real server is the same one when its address and port are. */
export function rsKey(vs: VirtualServer, rs: RealServer): string {
  return `${vsKey(vs)}#${rs.addr.text}|${rs.port}`;
}

/**
 * A checker keeps its state only when every configured field is the same. The key is built from all fields
 * but the source location (a line moved in the file is the same checker), so a field added to the model later
 * takes part without anyone remembering to list it here. Native JSON keeps it cheap for 40,000 checkers; the
 * config builder makes each checker type's fields in one fixed order, and were that ever to differ, the cost is
 * a checker started afresh, never a change ignored.
 */
export function checkerIdentity(c: Checker): string {
  return JSON.stringify(c, (k, v: unknown) => (k === 'loc' ? undefined : v));
}

export function sameChecker(a: Checker, b: Checker): boolean {
  return checkerIdentity(a) === checkerIdentity(b);
}
