import t, { type Test } from 'tap';
import { parseIp, type IpAddr } from '../../src/model/address.js';
import { nativeUnavailable } from '../../src/native/addon.js';
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

/** The Internet checksum (RFC 1071) of the IPv6 pseudo-header (RFC 8200 §8.1) and payload; 0 when it is right. */
function v6Checksum(src: IpAddr, dst: IpAddr, payload: Uint8Array): number {
  const addr = (a: IpAddr): Buffer => {
    const b = Buffer.alloc(16);
    const full = a.text.includes('::') ? expand(a.text) : a.text;
    full.split(':').forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
    return b;
  };
  const pseudo = Buffer.alloc(40);
  addr(src).copy(pseudo, 0);
  addr(dst).copy(pseudo, 16);
  pseudo.writeUInt32BE(payload.length, 32);
  pseudo[39] = 112;
  const all = Buffer.concat([pseudo, Buffer.from(payload), Buffer.alloc(payload.length % 2)]);
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) sum += all.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function expand(text: string): string {
  const [l, r] = text.split('::') as [string, string];
  const left = l ? l.split(':') : [];
  const right = r ? r.split(':') : [];
  return [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right].join(':');
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
  // a sender that is not VRRP-conformant: TTL 64, as a packet routed from off the link would arrive
  lab.exec(a, 'python3', ['-c', `import socket
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 112)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'v0x1')
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 64)
s.sendto(bytes([0x31, 10, 100, 1, 0, 100, 0, 0, 10, 61, 0, 100]), ('224.0.0.18', 0))`]);
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
  t.equal(v6Checksum(p.src, p.dst, p.bytes), 0, 'and it is right for the pseudo-header');
  rb.ch.send(advert(6), ip('fd61::1'));
  await until(() => ra.got.length >= 1);
  t.match(ra.got, [{ src: ip('fd61::2'), dst: ip('fd61::1'), ttl: 255 }], 'unicast to a peer');
  lab.exec(a, 'python3', ['-c', `import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 112)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'v0x1')
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM, 6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 7)
s.sendto(bytes([0x31, 11, 100, 1, 0, 100, 0, 0]), ('ff02::12', 0, 0, socket.if_nametoindex('v0x1')))`]);
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
