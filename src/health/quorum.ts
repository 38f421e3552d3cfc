/** A virtual server's quorum with hysteresis (keepalived check/ipwrapper.c set_quorum_states, update_quorum_state). */

/** set_quorum_states: at start the service has quorum when the live weight reaches quorum + hysteresis. */
export function initialQuorum(liveWeight: number, quorum: number, hysteresis: number): boolean {
  return liveWeight >= quorum + hysteresis;
}

/**
 * update_quorum_state: quorum is gained at quorum + hysteresis and lost below quorum − hysteresis (or when no
 * live weight is left at all), so a weight hovering at the quorum does not flap.
 */
export function stepQuorum(up: boolean, liveWeight: number, quorum: number, hysteresis: number): boolean {
  const threshold = quorum + (up ? -1 : 1) * hysteresis;
  if (!up) return liveWeight >= threshold;
  return !(liveWeight === 0 || liveWeight < threshold);
}
