import { loadNative, nativeFailure, type FrameTxHandle, type LvsdNative } from './addon.js';

/**
 * The addon's AF_PACKET frame sender (native/src/frame_tx.c): whole Ethernet frames out of one interface, and
 * that interface's index and MAC as its own namespace sees them. Failures are LvsdErrors with code
 * LVSD_E_FRAME_<errno>.
 */

export const FRAME_ERROR_AREA = 'LVSD_E_FRAME';

export class FrameTx {
  readonly ifindex: number;
  private closed = false;

  private constructor(private readonly native: LvsdNative, private readonly handle: FrameTxHandle, readonly where: string) {
    this.ifindex = native.frameTxInfo(handle).ifindex;
  }

  static open(ifname: string, netns: string | null = null): FrameTx {
    const native = loadNative();
    const where = `frame sender on ${ifname}${netns ? ` in ${netns}` : ''}`;
    let handle: FrameTxHandle;
    try {
      handle = native.frameTxOpen(ifname, netns);
    } catch (e) {
      throw nativeFailure(e, FRAME_ERROR_AREA, `opening the ${where}`);
    }
    try {
      return new FrameTx(native, handle, where);
    } catch (e) {
      native.frameTxClose(handle);
      throw nativeFailure(e, FRAME_ERROR_AREA, `opening the ${where}`);
    }
  }

  /** The interface's MAC address now (6 bytes). */
  mac(): Buffer {
    try {
      return this.native.frameTxInfo(this.handle).mac;
    } catch (e) {
      throw nativeFailure(e, FRAME_ERROR_AREA, `${this.where}: reading the MAC address`);
    }
  }

  /** Sends one frame (destination MAC, source MAC, ethertype, payload); returns the bytes sent. */
  send(frame: Uint8Array): number {
    try {
      return this.native.frameTxSend(this.handle, frame);
    } catch (e) {
      throw nativeFailure(e, FRAME_ERROR_AREA, `${this.where}: sending a frame`);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.native.frameTxClose(this.handle);
  }
}
