import type { Timeouts } from '../../model/table.js';
import { TableError } from '../../model/errors.js';
import { DEFAULT_TCP_TIMEOUTS_S, DEFAULT_UDP_TIMEOUT_S, TcpState, TCP_STATE_COUNT } from './tcp-states.js';

/**
 * The per-protocol timeout tables (pd->timeout_table), in milliseconds. `ipvsadm --set tcp tcpfin udp`
 * rewrites ESTABLISHED, FIN_WAIT and UDP NORMAL; 0 keeps a value (ip_vs_ctl.c ip_vs_set_timeout).
 * Existing connections keep the timeout they were given until their next state change or packet,
 * as cp->timeout does in the kernel.
 */
export class TimeoutTable {
  /** Indexed by TCP state. */
  readonly tcpMs = new Int32Array(TCP_STATE_COUNT);
  udpMs = DEFAULT_UDP_TIMEOUT_S * 1000;

  constructor() {
    DEFAULT_TCP_TIMEOUTS_S.forEach((s, i) => { this.tcpMs[i] = s * 1000; });
  }

  /** Throws TableError EINVAL outside 0..INT_MAX/HZ seconds, the kernel's bound (HZ = 1000 here). */
  set(t: Timeouts): void {
    for (const v of [t.tcp, t.tcpFin, t.udp]) {
      if (!Number.isInteger(v) || v < 0 || v > MAX_TIMEOUT_S) {
        throw new TableError('EINVAL', `timeout ${v} out of range 0..${MAX_TIMEOUT_S}`);
      }
    }
    if (t.tcp) this.tcpMs[TcpState.ESTABLISHED] = t.tcp * 1000;
    if (t.tcpFin) this.tcpMs[TcpState.FIN_WAIT] = t.tcpFin * 1000;
    if (t.udp) this.udpMs = t.udp * 1000;
  }

  /**
   * The TIME_WAIT entry of tcp_timeouts (120 s). The kernel has no runtime knob for it: netlink's
   * IPVS_CMD_SET_CONFIG (ipvsadm --set) carries only TCP, TCP_FIN and UDP, and the old
   * /proc/sys/net/ipv4/vs/timeout_* sysctls are gone; lvsd takes it as a data-plane option instead.
   */
  setTimeWait(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TIMEOUT_S) {
      throw new TableError('EINVAL', `TIME_WAIT timeout ${seconds} out of range 1..${MAX_TIMEOUT_S}`);
    }
    this.tcpMs[TcpState.TIME_WAIT] = seconds * 1000;
  }

  get(): Timeouts {
    return {
      tcp: this.tcpMs[TcpState.ESTABLISHED] / 1000,
      tcpFin: this.tcpMs[TcpState.FIN_WAIT] / 1000,
      udp: this.udpMs / 1000,
    };
  }
}

/** INT_MAX / HZ with HZ = 1000: also the longest delay the timer wheel's signed 32-bit arithmetic allows. */
export const MAX_TIMEOUT_S = Math.floor(0x7fffffff / 1000);
