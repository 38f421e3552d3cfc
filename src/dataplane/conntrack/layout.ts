/**
 * The record format of a connection-table entry: one row of Int32 words in a FlowStore.
 * Value words come first so their offsets are the same for IPv4 (1 address word) and IPv6 (4);
 * the key follows. IPv4: 11 words = 44 bytes; IPv6: 17 words = 68 bytes.
 */

/** Flags, protocol and state (bits below). */
export const W_META = 0;
/** SchedDest id (the connection's or template's destination). */
export const W_DEST = 1;
/** Service index, as given by the caller. */
export const W_SVC = 2;
/** Absolute expiry, ms modulo 2^32 (signed arithmetic against the wheel's clock). */
export const W_EXP = 3;
/** cp->timeout in ms: what a packet (touch) re-arms the timer with. */
export const W_TIMEOUT = 4;
/** Timer-wheel list links; a list head's prev holds WHEEL_HEAD | bucket. Free records chain through W_NEXT. */
export const W_PREV = 5;
export const W_NEXT = 6;
/** Connection: controlling template id + 1 (0 = none). Template: n_control, the connections it controls. */
export const W_LINK = 7;
/** Key: cport << 16 | vport. */
export const W_PORTS = 8;
/** Key: client address words, then virtual address words. */
export const W_ADDR = 9;

export function strideFor(addrWords: number): number {
  return W_ADDR + 2 * addrWords;
}

// W_META bits.
export const M_PROTO = 0xff;
/** IP_VS_CONN_F_TEMPLATE; part of the key, so a template never matches a connection lookup. */
export const M_TEMPLATE = 0x100;
/** The bits compared as key. */
export const M_KEY = M_PROTO | M_TEMPLATE;
export const M_IN_USE = 0x200;
/** IP_VS_CONN_F_INACTIVE: counted in InActConn. */
export const M_INACTIVE = 0x400;
/** IP_VS_CONN_F_NOOUTPUT: DR/TUN connection that has seen no reply yet. */
export const M_NOOUTPUT = 0x800;
/** Not in the hash index: an invalidated template (ip_vs_check_template), reachable only by the wheel. */
export const M_UNHASHED = 0x1000;
export const M_STATE_SHIFT = 16;
export const M_STATE = 0xf << M_STATE_SHIFT;

export const NIL = -1;
export const WHEEL_HEAD = 0x40000000;
/** prev/next of a record the wheel has taken out of its lists while firing it. */
export const DETACHED = -2;
