import { parseIp, type IpAddr } from '../model/address.js';
import { LvsdError } from '../model/errors.js';
import { VrrpSocket, type VrrpSocketItem } from '../native/vrrp-socket.js';
import {
  VRRP_GROUP_V4, VRRP_GROUP_V6, type VrrpChannel, type VrrpChannelOptions, type VrrpPacket, type VrrpTransport,
} from '../ports/vrrp-transport.js';

/**
 * The VrrpTransport port over the addon's raw protocol-112 sockets: one socket per channel (interface and
 * family), as keepalived opens one per interface. Packets the system hands up with an address that does not
 * parse, or of the other family, are reported through onError and dropped, never passed on.
 */
export interface NativeVrrpTransportOptions {
  /** Open every channel in this network namespace (a file such as /run/netns/NAME). */
  readonly netns?: string;
}

export class NativeVrrpTransport implements VrrpTransport {
  constructor(private readonly opts: NativeVrrpTransportOptions = {}) {}

  open(o: VrrpChannelOptions): VrrpChannel {
    const group = o.group === undefined ? (o.family === 4 ? VRRP_GROUP_V4 : VRRP_GROUP_V6) : o.group?.text ?? null;
    for (const [name, a] of [['group', o.group], ['source', o.source]] as const) {
      if (a && a.af !== o.family) {
        throw new LvsdError('LVSD_E_VRRP_EINVAL', `VRRP IPv${o.family} channel on ${o.interface}: ${name} ${a.text} is IPv${a.af}`);
      }
    }
    let open = true;
    const receive = (batch: VrrpSocketItem[]): void => {
      for (const item of batch) {
        if (!open) return; // closed by a callback earlier in this batch: the port promises nothing after close
        if (item instanceof Error) {
          o.onError?.(item);
          continue;
        }
        const p = toPacket(item, o.family);
        if (p) o.onPacket(p);
        else o.onError?.(new LvsdError('LVSD_E_VRRP_EBADMSG', `VRRP channel on ${o.interface}: a packet with unusable addresses (${item.src} → ${item.dst})`));
      }
    };
    const sock = VrrpSocket.open({
      family: o.family, ifname: o.interface, group, source: o.source?.text ?? null,
      rcvbufBytes: o.rcvbufBytes ?? 0, netns: this.opts.netns ?? null,
    }, receive);
    return {
      ifindex: sock.ifindex,
      rcvbufBytes: sock.rcvbufBytes,
      send: (bytes: Uint8Array, dest?: IpAddr): void => {
        if (dest && dest.af !== o.family) {
          throw new LvsdError('LVSD_E_VRRP_EINVAL', `VRRP IPv${o.family} channel on ${o.interface}: cannot send to IPv${dest.af} ${dest.text}`);
        }
        sock.send(bytes, dest?.text ?? null);
      },
      close: () => {
        open = false;
        sock.close();
      },
    };
  }
}

function toPacket(item: { bytes: Buffer; src: string; dst: string; ttl: number; ifindex: number }, family: 4 | 6): VrrpPacket | null {
  const src = parseIp(item.src);
  const dst = parseIp(item.dst);
  if (!src || !dst || src.af !== family || dst.af !== family) return null;
  return { bytes: item.bytes, src, dst, ttl: item.ttl, ifindex: item.ifindex };
}
