import { loadNative, nativeFailure, type LvsdNative, type NativeSystemError, type NativeVrrpPacket, type VrrpHandle, type VrrpRecvItem } from './addon.js';
import type { LvsdError } from '../model/errors.js';

/**
 * The addon's VRRP socket (native/src/vrrp_socket.c), typed: an IP protocol 112 raw socket bound to one
 * interface, TTL / hop limit 255, multicast loop off, the group joined, each packet received with its source,
 * destination, TTL and interface. Failures are LvsdErrors with code LVSD_E_VRRP_<errno>.
 */

export interface VrrpSocketOptions {
  readonly family: 4 | 6;
  readonly ifname: string;
  /** Multicast group to join and send to by default; null: unicast only. */
  readonly group: string | null;
  /** Source address to bind (one of this host's); null: the kernel's choice. */
  readonly source: string | null;
  /** Receive buffer to ask for (keepalived kernel_rx_buf_size); 0 or absent: the system's default. */
  readonly rcvbufBytes?: number;
  /** A network namespace file to open the socket in (tests; the daemon runs in its own). */
  readonly netns?: string | null;
}

export type VrrpSocketItem = NativeVrrpPacket | LvsdError;

export const VRRP_ERROR_AREA = 'LVSD_E_VRRP';

function isPacket(item: VrrpRecvItem): item is NativeVrrpPacket {
  return !(item instanceof Error);
}

export class VrrpSocket {
  readonly ifindex: number;
  /** The receive buffer the kernel granted. */
  readonly rcvbufBytes: number;
  private closed = false;

  private constructor(private readonly native: LvsdNative, private readonly handle: VrrpHandle, private readonly where: string) {
    const info = native.vrrpInfo(handle);
    this.ifindex = info.ifindex;
    this.rcvbufBytes = info.rcvbufBytes;
  }

  static open(opts: VrrpSocketOptions, onRecv: (batch: VrrpSocketItem[]) => void): VrrpSocket {
    const native = loadNative();
    const where = `VRRP IPv${opts.family} socket on ${opts.ifname}${opts.netns ? ` in ${opts.netns}` : ''}`;
    const deliver = (batch: VrrpRecvItem[]): void => {
      onRecv(batch.map((item) => (isPacket(item) ? item : nativeFailure(item as NativeSystemError, VRRP_ERROR_AREA, `${where}: receive`))));
    };
    try {
      const handle = native.vrrpOpen(opts.family, opts.ifname, opts.group, opts.source, opts.rcvbufBytes ?? 0, opts.netns ?? null, deliver);
      return new VrrpSocket(native, handle, where);
    } catch (e) {
      throw nativeFailure(e, VRRP_ERROR_AREA, `opening the ${where}`);
    }
  }

  /** Sends one VRRP message to the group, or to dest; returns the bytes sent. */
  send(bytes: Uint8Array, dest: string | null): number {
    try {
      return this.native.vrrpSend(this.handle, bytes, dest);
    } catch (e) {
      throw nativeFailure(e, VRRP_ERROR_AREA, `${this.where}: sending to ${dest ?? 'the group'}`);
    }
  }

  /** Whether the socket keeps the event loop alive (it does from open). */
  ref(on: boolean): void {
    if (!this.closed) this.native.vrrpRef(this.handle, on);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.vrrpClose(this.handle);
  }
}
