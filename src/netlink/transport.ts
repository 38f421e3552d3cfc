import type { NetlinkError } from './errors.js';

/**
 * What the request engine needs from a netlink socket. The native socket (src/native/netlink-socket.ts)
 * implements it for real; tests script a kernel behind it.
 */
export interface NetlinkTransport {
  /** The port id the kernel bound this socket to; replies to us carry it in nlmsg_pid. */
  readonly portId: number;
  /** The receive buffer the kernel grants (SO_RCVBUF as read back), which bounds replies in flight. */
  readonly rcvbufBytes: number;
  /** Sends one datagram to the kernel; throws a NetlinkError (errno name) when the kernel refuses it. */
  send(datagram: Uint8Array): void;
  /** Sets the one receiver: datagrams and socket errors (ENOBUFS on overrun) in arrival order. */
  onReceive(receiver: (batch: readonly (Buffer | NetlinkError)[]) => void): void;
  /** Whether the socket keeps the event loop alive (while requests are outstanding). */
  ref(on: boolean): void;
  close(): void;
}
