import t, { type Test } from 'tap';
import { parseIp, type IpAddr } from '../../src/model/address.js';
import { nativeUnavailable } from '../../src/native/addon.js';
import { FrameTx } from '../../src/native/frame-tx.js';
import { ipToBytes } from '../../src/netlink/rtnl/address-bytes.js';
import { onesSum } from '../../src/platform/announce-frames.js';
import { NativeVrrpTransport } from '../../src/platform/vrrp-socket.js';
import type { VrrpChannel, VrrpPacket } from '../../src/ports/vrrp-transport.js';
import { Lab } from '../../src/testing/netns.js';

// The VRRP transport on real raw sockets between two network namespaces joined by a veth pair: multicast to
// the VRRP group and unicast to a peer, TTL / hop limit 255 on the wire and visible on receipt, our own
// adverts not looped back, the source address bound, the IPv6 checksum filled in by the kernel.

const noAddon = nativeUnavailable();
const skip = Lab.canRun() ?? (noAddon ? `native addon: ${noAddon}` : false);
if (skip) t.comment(`skipping: ${skip}`);

const ip = (s: string): IpAddr => parseIp(s)!;

/** Two hosts on one veth link: a (10.61.0.1, fd61::1) on v0x1, b (10.61.0.2, fd61::2) on v1x0. */
function twoHosts(t: Test): { lab: Lab; a: string; b: string } {
  const lab = new Lab('vr');
  t.teardown(() => lab.teardown());
  const a = lab.host('a');
  const b = lab.host('b');
  for (const ns of [a, b]) lab.exec(ns, 'sysctl', ['-qw', 'net.ipv6.conf.default.accept_dad=0']);
  lab.link(a, '10.61.0.1/24', b, '10.61.0.2/24');
  lab.exec(a, 'ip', ['addr', 'add', 'fd61::1/64', 'dev', 'v0x1', 'nodad']);
  lab.exec(b, 'ip', ['addr', 'add', 'fd61::2/64', 'dev', 'v1x0', 'nodad']);
  lab.linkLocal(a, 'v0x1');
  lab.linkLocal(b, 'v1x0');
  return { lab, a, b };
}

/** A channel that collects what it receives; closed at teardown. */
function listen(t: Test, ns: string, opts: Omit<Parameters<NativeVrrpTransport['open']>[0], 'onPacket'>) {
  const got: VrrpPacket[] = [];
  const errors: Error[] = [];
  const ch = new NativeVrrpTransport({ netns: `/run/netns/${ns}` }).open({ ...opts, onPacket: (p) => got.push(p), onError: (e) => errors.push(e) });
  t.teardown(() => ch.close());
  return { ch, got, errors };
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; !cond() && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
}

/** The IPv6 pseudo-header (RFC 8200 §8.1) of a VRRP message of `length` bytes. */
function pseudo6(src: IpAddr, dst: IpAddr, length: number): Buffer {
  const p = Buffer.alloc(40);
  ipToBytes(src).copy(p, 0);
  ipToBytes(dst).copy(p, 16);
  p.writeUInt32BE(length, 32);
  p[39] = 112;
  return p;
}

/**
 * A VRRP packet from a sender that does not follow RFC 5798 (TTL / hop limit below 255, as a packet routed from
 * off the link would arrive), built whole and sent through AF_PACKET from `ns`'s v0x1 to the VRRP group.
 */
function sendForeign(ns: string, family: 4 | 6, src: IpAddr, ttl: number, vrrp: Buffer): void {
  const tx = FrameTx.open('v0x1', `/run/netns/${ns}`);
  try {
    const mac = tx.mac();
    if (family === 4) {
      const ipHdr = Buffer.from([0x45, 0, 0, 20 + vrrp.length, 0, 0, 0, 0, ttl, 112, 0, 0, ...ipToBytes(src), 224, 0, 0, 18]);
      ipHdr.writeUInt16BE(~onesSum(ipHdr) & 0xffff, 10);
      tx.send(Buffer.concat([Buffer.from('01005e000012', 'hex'), mac, Buffer.from([0x08, 0x00]), ipHdr, vrrp]));
    } else {
      const dst = ip('ff02::12');
      const body = Buffer.from(vrrp);
      body.writeUInt16BE(~onesSum(body, onesSum(pseudo6(src, dst, body.length))) & 0xffff, 6);
      const ipHdr = Buffer.concat([Buffer.from([0x60, 0, 0, 0, 0, body.length, 112, ttl]), ipToBytes(src), ipToBytes(dst)]);
      tx.send(Buffer.concat([Buffer.from('333300000012', 'hex'), mac, Buffer.from([0x86, 0xdd]), ipHdr, body]));
    }
  } finally {
    tx.close();
  }
}

// An advert-shaped message: VRRPv3 header, checksum zero (the IPv6 kernel fills it in), one address.
const advert = (vrid: number): Buffer => Buffer.from([0x31, vrid, 100, 1, 0, 100, 0, 0, 10, 61, 0, 100]);

t.test('IPv4: multicast to 224.0.0.18 and unicast to a peer, TTL 255, no loopback, bound source', { skip }, async (t) => {
  const { a, b } = twoHosts(t);
  const ra = listen(t, a, { family: 4, interface: 'v0x1' });
  const rb = listen(t, b, { family: 4, interface: 'v1x0' });
  ra.ch.send(advert(7));
  await until(() => rb.got.length >= 1);
  t.equal(rb.got.length, 1, 'b received the multicast advert');
  t.match(rb.got[0], { src: ip('10.61.0.1'), dst: ip('224.0.0.18'), ttl: 255, ifindex: rb.ch.ifindex });
  t.same(Buffer.from(rb.got[0]!.bytes), advert(7), 'the VRRP message alone, byte for byte');
  rb.ch.send(advert(8), ip('10.61.0.1'));
  await until(() => ra.got.length >= 1);
  t.match(ra.got, [{ src: ip('10.61.0.2'), dst: ip('10.61.0.1'), ttl: 255 }], 'unicast to a peer, TTL 255 too');
  t.same(Buffer.from(ra.got[0]!.bytes), advert(8));
  await new Promise((r) => setTimeout(r, 50));
  t.equal(rb.got.length, 1, 'b did not hear its own unicast advert');
  t.equal(ra.got.length, 1, 'a did not hear its own multicast advert (loop off)');
  t.same([...ra.errors, ...rb.errors], []);
});

t.test('IPv4: a received TTL below 255 is visible, and a bound source address is used', { skip }, async (t) => {
  const { lab, a, b } = twoHosts(t);
  lab.exec(a, 'ip', ['addr', 'add', '10.61.0.11/24', 'dev', 'v0x1']);
  const rb = listen(t, b, { family: 4, interface: 'v1x0' });
  const sa = listen(t, a, { family: 4, interface: 'v0x1', source: ip('10.61.0.11') });
  sa.ch.send(advert(9));
  sendForeign(a, 4, ip('10.61.0.1'), 64, advert(10));
  await until(() => rb.got.length >= 2);
  t.match(rb.got, [{ src: ip('10.61.0.11'), ttl: 255 }, { src: ip('10.61.0.1'), ttl: 64 }]);
  t.equal(rb.got[1]!.bytes[1], 10, 'the second is the foreign one');
});

t.test('IPv6: ff02::12 from the link-local address, hop limit 255 visible, checksum by the kernel', { skip }, async (t) => {
  const { lab, a, b } = twoHosts(t);
  const ra = listen(t, a, { family: 6, interface: 'v0x1' });
  const rb = listen(t, b, { family: 6, interface: 'v1x0' });
  const linkLocalA = lab.linkLocal(a, 'v0x1');
  ra.ch.send(advert(5));
  await until(() => rb.got.length >= 1);
  t.equal(rb.got.length, 1, 'b received the advert (the kernel verified its checksum)');
  const p = rb.got[0]!;
  t.match(p, { src: ip(linkLocalA), dst: ip('ff02::12'), ttl: 255, ifindex: rb.ch.ifindex });
  t.not(Buffer.from(p.bytes).readUInt16BE(6), 0, 'the checksum field was filled in');
  t.equal(onesSum(p.bytes, onesSum(pseudo6(p.src, p.dst, p.bytes.length))), 0xffff, 'and it is right for the pseudo-header');
  rb.ch.send(advert(6), ip('fd61::1'));
  await until(() => ra.got.length >= 1);
  t.match(ra.got, [{ src: ip('fd61::2'), dst: ip('fd61::1'), ttl: 255 }], 'unicast to a peer');
  sendForeign(a, 6, ip(linkLocalA), 7, advert(11));
  await until(() => rb.got.length >= 2);
  t.match(rb.got[1], { ttl: 7, dst: ip('ff02::12') }, 'a hop limit below 255 is visible');
});

t.test('bad arguments and missing interfaces fail with a clear error, never a crash', { skip }, async (t) => {
  const { b } = twoHosts(t);
  const tr = new NativeVrrpTransport({ netns: `/run/netns/${b}` });
  const none = { onPacket: () => undefined };
  t.throws(() => tr.open({ family: 4, interface: 'nosuchif', ...none }), { code: 'LVSD_E_VRRP_ENODEV', message: /VRRP IPv4 socket on nosuchif .*SIOCGIFINDEX/ });
  t.throws(() => tr.open({ family: 4, interface: 'v1x0', source: ip('192.0.2.1'), ...none }), { code: 'LVSD_E_VRRP_EADDRNOTAVAIL', message: /source address/ });
  t.throws(() => tr.open({ family: 6, interface: 'v1x0', group: ip('224.0.0.18'), ...none }), { code: 'LVSD_E_VRRP_EINVAL', message: /group 224\.0\.0\.18 is IPv4/ });
  t.throws(() => tr.open({ family: 4, interface: 'a-name-far-too-long', ...none }), { code: 'LVSD_E_NATIVE_ARG', message: /1 to 15 characters/ });
  const uni: VrrpChannel = tr.open({ family: 4, interface: 'v1x0', group: null, rcvbufBytes: 256 * 1024, ...none });
  t.teardown(() => uni.close());
  t.equal(uni.rcvbufBytes, 512 * 1024, 'kernel_rx_buf_size: the kernel grants twice what is asked (socket(7) SO_RCVBUF)');
  t.throws(() => uni.send(advert(1)), { message: /no group; give a destination/ });
  t.throws(() => uni.send(advert(1), ip('fd61::1')), { code: 'LVSD_E_VRRP_EINVAL' });
  uni.close();
  uni.close();
  t.throws(() => uni.send(advert(1), ip('10.61.0.1')), { code: 'LVSD_E_VRRP_EBADF' });
});

t.test('a channel closed from its own callback gets nothing more, even from the same batch', { skip }, async (t) => {
  const { a, b } = twoHosts(t);
  const sa = listen(t, a, { family: 4, interface: 'v0x1' });
  const got: VrrpPacket[] = [];
  const ch: VrrpChannel = new NativeVrrpTransport({ netns: `/run/netns/${b}` }).open({
    family: 4, interface: 'v1x0', onPacket: (p) => { got.push(p); ch.close(); },
  });
  for (let i = 0; i < 5; i++) sa.ch.send(advert(20 + i)); // queued before b's socket is read: one batch
  await until(() => got.length > 0);
  await new Promise((r) => setTimeout(r, 50));
  t.equal(got.length, 1, 'one packet, then nothing');
  t.equal(got[0]!.bytes[1], 20);
});
