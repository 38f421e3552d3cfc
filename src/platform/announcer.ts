import type { IpAddr } from '../model/address.js';
import { FrameTx } from '../native/frame-tx.js';
import type { Announcer } from '../ports/announcer.js';
import { garpFrame, unsolicitedNaFrame, type NaOptions } from './announce-frames.js';

/**
 * The Announcer port over the addon's AF_PACKET sender: one sender per interface, opened on first use. The MAC
 * is read from the interface at each announcement (it may be changed under us; keepalived re-reads it on
 * RTM_NEWLINK). A send that fails drops the interface's sender, so an interface that was deleted and made
 * again is found afresh next time.
 */
export interface FrameAnnouncerOptions extends NaOptions {
  /** Open the senders in this network namespace (a file such as /run/netns/NAME). */
  readonly netns?: string;
}

export class FrameAnnouncer implements Announcer {
  private readonly senders = new Map<string, FrameTx>();

  constructor(private readonly opts: FrameAnnouncerOptions = {}) {}

  announce(ifname: string, vip: IpAddr, mac?: Uint8Array): void {
    let tx = this.senders.get(ifname);
    if (!tx) {
      tx = FrameTx.open(ifname, this.opts.netns ?? null);
      this.senders.set(ifname, tx);
    }
    try {
      const from = mac ?? tx.mac();
      tx.send(vip.af === 4 ? garpFrame(from, vip) : unsolicitedNaFrame(from, vip, this.opts));
    } catch (e) {
      tx.close();
      this.senders.delete(ifname);
      throw e;
    }
  }

  close(): void {
    for (const tx of this.senders.values()) tx.close();
    this.senders.clear();
  }
}
