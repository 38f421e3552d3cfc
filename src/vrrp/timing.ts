/**
 * VRRP timers, computed in integer microseconds as keepalived does (include/vrrp.h VRRP_TIMER_SKEW_CALC,
 * VRRP_MS_DOWN_TIMER) and returned in milliseconds for the Clock.
 */

/** µs → ms (keepalived's µs are whole; the Clock takes fractional ms). */
const ms = (us: number) => us / 1000;

/**
 * Skew_Time. RFC 3768 §6.1 (v2): (256 − Priority) / 256 seconds. RFC 5798 §6.1 (v3):
 * ((256 − Priority) × Master_Adver_Interval) / 256 centiseconds — keepalived: ×625/16 µs per centisecond.
 * `units` stands in for (256 − Priority): keepalived's minimum skew uses 1.
 */
function skewUs(version: 2 | 3, units: number, masterAdverIntMs: number): number {
  if (version === 2) return Math.floor((units * 1_000_000) / 256);
  const cs = Math.round(masterAdverIntMs / 10);
  return Math.floor((units * cs * 625) / 16);
}

export function skewTimeMs(version: 2 | 3, priority: number, masterAdverIntMs: number): number {
  return ms(skewUs(version, 256 - priority, masterAdverIntMs));
}

/** keepalived VRRP_TIMER_SKEW_MIN: the skew of priority 255. */
export function minSkewMs(version: 2 | 3, masterAdverIntMs: number): number {
  return ms(skewUs(version, 1, masterAdverIntMs));
}

/**
 * Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time (RFC 5798 §6.1, RFC 3768 §6.1 with
 * Advertisement_Interval); keepalived's down_timer_adverts replaces the 3.
 */
export function masterDownMs(version: 2 | 3, priority: number, masterAdverIntMs: number, downTimerAdverts: number): number {
  return downTimerAdverts * masterAdverIntMs + skewTimeMs(version, priority, masterAdverIntMs);
}
