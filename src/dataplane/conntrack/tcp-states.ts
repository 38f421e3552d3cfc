/**
 * IPVS connection states and the kernel's TCP state machine, as pure data and functions.
 * Source: net/netfilter/ipvs/ip_vs_proto_tcp.c (mainline; tables as in v5.x/v6.x) and
 * ip_vs_proto_udp.c. State numbers are the kernel's IP_VS_TCP_S_* values.
 */

export const TcpState = {
  NONE: 0,
  ESTABLISHED: 1,
  SYN_SENT: 2,
  SYN_RECV: 3,
  FIN_WAIT: 4,
  TIME_WAIT: 5,
  CLOSE: 6,
  CLOSE_WAIT: 7,
  LAST_ACK: 8,
  LISTEN: 9,
  SYNACK: 10,
} as const;
export type TcpState = (typeof TcpState)[keyof typeof TcpState];
export const TCP_STATE_COUNT = 11;

/** tcp_state_name_table, indexed by state. */
export const TCP_STATE_NAMES: readonly string[] = [
  'NONE', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT', 'TIME_WAIT',
  'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'SYNACK',
];

/** udp_state_name_table: the single state IP_VS_UDP_S_NORMAL (0) is listed as "UDP". */
export const UDP_STATE_NAME = 'UDP';

/** tcp_timeouts (seconds), indexed by state; --set changes ESTABLISHED and FIN_WAIT. */
export const DEFAULT_TCP_TIMEOUTS_S: readonly number[] = [2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120];
/** udp_timeouts[IP_VS_UDP_S_NORMAL] (seconds). */
export const DEFAULT_UDP_TIMEOUT_S = 300;

/** Packet direction as the kernel's IP_VS_DIR_*: client→director, real server→director, and the forced input-only view. */
export const Dir = { INPUT: 0, OUTPUT: 1, INPUT_ONLY: 2 } as const;
export type Dir = (typeof Dir)[keyof typeof Dir];

/** TCP header flag bits as on the wire (byte 13), so the packet plane passes the byte unchanged. */
export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, ACK: 0x10 } as const;

// The kernel's sES..sSA abbreviations (no transition leads to sNO); one row per (direction, flag),
// one column per current state in the order sNO, sES, sSS, sSR, sFW, sTW, sCL, sCW, sLA, sLI, sSA.
const ES = 1, SS = 2, SR = 3, FW = 4, TW = 5, CL = 6, CW = 7, LA = 8, LI = 9, SA = 10;

/** tcp_states[]: rows INPUT syn/fin/ack/rst, OUTPUT ×4, INPUT-ONLY ×4; 11 columns (current state). */
const NORMAL: readonly (readonly number[])[] = [
  [SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR],
  [CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW],
  [ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES],
  [CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR],

  [SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR],
  [TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW],
  [ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES],
  [CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL],

  [SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR],
  [CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW],
  [ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES],
  [CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL],
];

/** tcp_states_dos[]: used while the secure_tcp defence is on (tcp_timeout_change). */
const SECURE: readonly (readonly number[])[] = [
  [SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SA],
  [CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, SA],
  [ES, ES, SS, SR, FW, TW, CL, CW, CL, LI, SA],
  [CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL],

  [SS, ES, SS, SA, SS, SS, SS, SS, SS, LI, SA],
  [TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW],
  [ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES],
  [CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL],

  [SA, ES, ES, SR, SA, SA, SA, SA, SA, SA, SA],
  [CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW],
  [ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES],
  [CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL],
];

function flatten(rows: readonly (readonly number[])[]): Uint8Array {
  const out = new Uint8Array(rows.length * TCP_STATE_COUNT);
  rows.forEach((r, i) => out.set(r, i * TCP_STATE_COUNT));
  return out;
}
const NORMAL_FLAT = flatten(NORMAL);
const SECURE_FLAT = flatten(SECURE);

/**
 * tcp_state_active_table: states counted in ActiveConn. Since Linux 4.8 (commit be2cef49904b
 * "ipvs: count pre-established TCP states as active") SYN_SENT, SYN_RECV and SYNACK count as
 * active too; before that only ESTABLISHED did (`onlyEstablished`).
 */
const ACTIVE = Uint8Array.from([0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1]);

export function tcpStateActive(state: number, onlyEstablished: boolean): boolean {
  return onlyEstablished ? state === TcpState.ESTABLISHED : ACTIVE[state] === 1;
}

/**
 * tcp_state_idx(): RST wins over SYN over FIN over ACK; -1 when none is set.
 */
function flagRow(flags: number): number {
  if (flags & TcpFlag.RST) return 3;
  if (flags & TcpFlag.SYN) return 0;
  if (flags & TcpFlag.FIN) return 1;
  if (flags & TcpFlag.ACK) return 2;
  return -1;
}

/**
 * set_tcp_state()'s table step: the next state for one packet. A segment with none of
 * SYN/FIN/ACK/RST moves the connection to CLOSE, as the kernel's `new_state = IP_VS_TCP_S_CLOSE`
 * default does. The caller passes INPUT_ONLY for a connection still flagged NOOUTPUT
 * (a DR/TUN connection that has not seen a reply), as set_tcp_state() does.
 */
export function tcpNextState(state: number, dir: Dir, flags: number, secure = false): TcpState {
  const row = flagRow(flags);
  if (row < 0) return TcpState.CLOSE;
  const table = secure ? SECURE_FLAT : NORMAL_FLAT;
  return table[(dir * 4 + row) * TCP_STATE_COUNT + state] as TcpState;
}

export function stateName(proto: number, state: number, template: boolean): string {
  if (template) return 'NONE';
  if (proto === 6) return TCP_STATE_NAMES[state] ?? 'ERR!';
  if (proto === 17) return UDP_STATE_NAME;
  return 'NONE';
}

/** ip_vs_proto_name(): the listing's protocol column (IPPROTO_IP is the fwmark template's). */
export function protoName(proto: number): string {
  switch (proto) {
    case 0: return 'IP';
    case 6: return 'TCP';
    case 17: return 'UDP';
    case 132: return 'SCTP';
    default: return `IP_${proto}`;
  }
}
