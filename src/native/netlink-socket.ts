import { NetlinkError, errnoName } from '../netlink/errors.js';
import type { NetlinkTransport } from '../netlink/transport.js';
import { isNativeSystemError, loadNative, type LvsdNative, type NetlinkHandle, type NetlinkRecvItem } from './addon.js';

/** Netlink protocol numbers (include/uapi/linux/netlink.h). */
export const NETLINK_ROUTE = 0;
export const NETLINK_GENERIC = 16;

export interface NetlinkSocketOptions {
  readonly protocol: number;
  /** Multicast groups as the legacy 32-bit bind mask (RTMGRP_*). */
  readonly groups?: number;
  /** Requested receive buffer; forced past net.core.rmem_max when the process has CAP_NET_ADMIN. */
  readonly rcvbufBytes?: number;
  /** A network namespace file (/run/netns/NAME, /proc/PID/ns/net) to open the socket in. */
  readonly netns?: string;
}

/** Big enough for thousands of acks in flight (a batch of table changes), small enough not to matter. */
export const DEFAULT_RCVBUF = 4 << 20;

function toNetlinkError(e: unknown, what: string): NetlinkError {
  if (isNativeSystemError(e)) {
    const name = e.code.startsWith('E') && e.code !== 'EUNKNOWN' ? e.code : errnoName(e.errno);
    return new NetlinkError(name, `${what}: ${e.message}`);
  }
  return new NetlinkError('EIO', `${what}: ${e instanceof Error ? e.message : String(e)}`);
}

/** A netlink socket in the lvsd addon, as a NetlinkTransport. Its failures are values, never aborts. */
export class NetlinkSocket implements NetlinkTransport {
  readonly portId: number;
  readonly rcvbufBytes: number;
  private receiver: ((batch: readonly (Buffer | NetlinkError)[]) => void) | null = null;
  private closed = false;

  private constructor(private readonly native: LvsdNative, private readonly handle: NetlinkHandle) {
    const info = native.netlinkInfo(handle);
    this.portId = info.portId;
    this.rcvbufBytes = info.rcvbufBytes;
    native.netlinkRef(handle, false); // idle sockets do not hold the process; the engine refs while busy
  }

  static open(opts: NetlinkSocketOptions): NetlinkSocket {
    const native = loadNative();
    let sock: NetlinkSocket | null = null;
    const onRecv = (batch: NetlinkRecvItem[]): void => {
      sock?.deliver(batch);
    };
    let handle: NetlinkHandle;
    try {
      handle = native.netlinkOpen(opts.protocol, opts.groups ?? 0, opts.rcvbufBytes ?? DEFAULT_RCVBUF, opts.netns ?? null, onRecv);
    } catch (e) {
      throw toNetlinkError(e, `opening netlink protocol ${opts.protocol}${opts.netns ? ` in ${opts.netns}` : ''}`);
    }
    sock = new NetlinkSocket(native, handle);
    return sock;
  }

  private deliver(batch: NetlinkRecvItem[]): void {
    const out = batch.map((item) => (Buffer.isBuffer(item) ? item : toNetlinkError(item, 'netlink receive')));
    this.receiver?.(out);
  }

  send(datagram: Uint8Array): void {
    try {
      this.native.netlinkSend(this.handle, datagram);
    } catch (e) {
      throw toNetlinkError(e, 'netlink send');
    }
  }

  onReceive(receiver: (batch: readonly (Buffer | NetlinkError)[]) => void): void {
    this.receiver = receiver;
  }

  /** Joins a multicast group by number (genl groups and rtnetlink groups above 32). */
  join(group: number): void {
    try {
      this.native.netlinkJoin(this.handle, group);
    } catch (e) {
      throw toNetlinkError(e, `joining netlink group ${group}`);
    }
  }

  ref(on: boolean): void {
    if (!this.closed) this.native.netlinkRef(this.handle, on);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.netlinkClose(this.handle);
  }
}
