import type { SchedDest } from '../sched/types.js';

/**
 * Connection counters and the overload flag of a destination, as net/netfilter/ipvs/ip_vs_conn.c
 * keeps them. Every function mutates the dest in place; the caller reports the change.
 */

/** ip_vs_dest_totalconns(): persistence templates are not part of it. */
function totalConns(d: SchedDest): number {
  return d.activeConns + d.inactConns;
}

/**
 * ip_vs_bind_dest(): a new connection is counted inactive (the dest's conn_flags carry
 * IP_VS_CONN_F_INACTIVE, ip_vs_ctl.c __ip_vs_update_dest), a template in persistConns; then
 * OVERLOAD is set once active+inactive reaches the upper threshold.
 */
export function bindDest(d: SchedDest, template: boolean): void {
  if (template) d.persistConns++;
  else d.inactConns++;
  if (d.uThreshold !== 0 && totalConns(d) >= d.uThreshold) d.overloaded = true;
}

/**
 * ip_vs_unbind_dest(): uncount, then clear OVERLOAD by the lower threshold when one is set,
 * else when the total falls below 3/4 of the upper threshold, else unconditionally.
 */
export function unbindDest(d: SchedDest, template: boolean, inactive: boolean): void {
  if (template) d.persistConns--;
  else if (inactive) d.inactConns--;
  else d.activeConns--;
  if (d.lThreshold !== 0) {
    if (totalConns(d) < d.lThreshold) d.overloaded = false;
  } else if (d.uThreshold !== 0) {
    if (totalConns(d) * 4 < d.uThreshold * 3) d.overloaded = false;
  } else {
    d.overloaded = false;
  }
}

/** set_tcp_state(): a connection moving between ActiveConn and InActConn; thresholds are not re-checked. */
export function moveActive(d: SchedDest, toActive: boolean): void {
  if (toActive) { d.activeConns++; d.inactConns--; } else { d.activeConns--; d.inactConns++; }
}
