import t, { type Test } from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseIp } from '../../src/model/address.js';
import { nativeUnavailable } from '../../src/native/addon.js';
import { onesSum } from '../../src/platform/announce-frames.js';
import { NativeVrrpTransport } from '../../src/platform/vrrp-socket.js';
import type { VrrpPacket } from '../../src/ports/vrrp-transport.js';
import { Lab } from '../../src/testing/netns.js';

// A real peer: keepalived (Debian's) as master in one namespace, lvsd's VRRP transport listening in the other.
// Its adverts must arrive as keepalived sends them: VRRPv2 over IPv4 and VRRPv3 over IPv6, from its address,
// to the groups, TTL / hop limit 255, the IPv6 checksum verified by the kernel on the way in.

const noAddon = nativeUnavailable();
function keepalivedMissing(): string | null {
  try {
    execFileSync('keepalived', ['--version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'needs keepalived (apt-get install -y keepalived)';
  }
}
const skip = Lab.canRun() ?? (noAddon ? `native addon: ${noAddon}` : null) ?? keepalivedMissing() ?? false;
if (skip) t.comment(`skipping: ${skip}`);

/** The instances keepalived runs in a: one IPv4 (VRRPv2) and one IPv6 (VRRPv3) on v0x1. */
function instances(net: number, state: 'MASTER' | 'BACKUP', priority: number): string {
  const one = (name: string, vrid: number, vip: string) => `
vrrp_instance ${name} {
  state ${state}
  interface v0x1
  virtual_router_id ${vrid}
  priority ${priority}
  advert_int 1
  virtual_ipaddress {
    ${vip}
  }
}`;
  return `global_defs {\n  router_id lvsd_test\n}\n${one('V4', net, `10.${net}.0.100/24`)}\n${one('V6', net + 1, `fd${net}::100/64`)}\n`;
}

/** Namespaces a (10.N.0.1, keepalived) and b (10.N.0.2, lvsd's transport) on one veth link. */
function withKeepalived(t: Test, net: number, conf: string) {
  const lab = new Lab('ka');
  t.teardown(() => lab.teardown());
  const dir = mkdtempSync(path.join(tmpdir(), 'lvsd-ka-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const a = lab.host('a');
  const b = lab.host('b');
  for (const ns of [a, b]) lab.exec(ns, 'sysctl', ['-qw', 'net.ipv6.conf.default.accept_dad=0']);
  lab.link(a, `10.${net}.0.1/24`, b, `10.${net}.0.2/24`);
  lab.linkLocal(b, 'v1x0');
  const got: VrrpPacket[] = [];
  const transport = new NativeVrrpTransport({ netns: `/run/netns/${b}` });
  const v4 = transport.open({ family: 4, interface: 'v1x0', onPacket: (p) => got.push(p) });
  const v6 = transport.open({ family: 6, interface: 'v1x0', onPacket: (p) => got.push(p) });
  t.teardown(() => { v4.close(); v6.close(); });
  const file = path.join(dir, 'keepalived.conf');
  writeFileSync(file, conf);
  const log: string[] = [];
  const start = (): void => {
    const ka = lab.spawn(a, 'keepalived', ['-n', '-l', '-G', '-P', '-f', file, '-p', path.join(dir, 'k.pid'), '-r', path.join(dir, 'v.pid')]);
    ka.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    ka.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
  };
  return { lab, a, b, got, v4, v6, start, log, linkLocalA: lab.linkLocal(a, 'v0x1') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('keepalived\'s adverts, v2 over IPv4 and v3 over IPv6, as the transport receives them', { skip }, async (t) => {
  const k = withKeepalived(t, 67, instances(67, 'MASTER', 255));
  k.start();
  const has = (af: 4 | 6) => k.got.some((p) => p.src.af === af);
  for (let i = 0; i < 800 && !(has(4) && has(6)); i++) await sleep(10);
  t.ok(has(4) && has(6), `adverts of both families arrived${has(4) && has(6) ? '' : `; keepalived said:\n${k.log.join('')}`}`);
  const p4 = k.got.find((p) => p.src.af === 4);
  if (p4) {
    t.match(p4, { src: parseIp('10.67.0.1'), dst: parseIp('224.0.0.18'), ttl: 255, ifindex: k.v4.ifindex });
    t.same([...p4.bytes.subarray(0, 4)], [0x21, 67, 255, 1], 'VRRPv2 advertisement, VRID 67, priority 255, one address');
    t.same([...p4.bytes.subarray(8, 12)], [10, 67, 0, 100], 'the VIP');
  }
  const p6 = k.got.find((p) => p.src.af === 6);
  if (p6) {
    t.match(p6, { src: parseIp(k.linkLocalA), dst: parseIp('ff02::12'), ttl: 255, ifindex: k.v6.ifindex });
    t.same([...p6.bytes.subarray(0, 4)], [0x31, 68, 255, 1], 'VRRPv3 advertisement, VRID 68, priority 255, one address');
  }
});

/** RFC 3768 §5.3: VRRPv2 advertisement, no authentication, checksum over the message alone. */
function advertV2(vrid: number, prio: number, vip: number[]): Buffer {
  const b = Buffer.from([0x21, vrid, prio, 1, 0, 1, 0, 0, ...vip, 0, 0, 0, 0, 0, 0, 0, 0]);
  b.writeUInt16BE(~onesSum(b) & 0xffff, 6);
  return b;
}

/** RFC 5798 §5.1: VRRPv3 over IPv6, Max Adver Int 100 cs; the checksum is the kernel's (IPV6_CHECKSUM). */
function advertV3(vrid: number, prio: number, vip: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x31, vrid, prio, 1, 0, 100, 0, 0]), vip]);
}

t.test('keepalived takes lvsd\'s adverts: a higher-priority master keeps it backup, their end lets it take over', { skip }, async (t) => {
  const k = withKeepalived(t, 69, instances(69, 'BACKUP', 100));
  const sendBoth = (): void => {
    k.v4.send(advertV2(69, 200, [10, 69, 0, 100]));
    k.v6.send(advertV3(70, 200, Buffer.from('fd690000000000000000000000000100', 'hex')));
  };
  const vips = (): string => k.lab.exec(k.a, 'ip', ['-o', 'addr', 'show', 'dev', 'v0x1']);
  sendBoth();
  k.start();
  for (let i = 0; i < 10; i++) { // 5 s, past keepalived's master down interval (3.61 s)
    sendBoth();
    await sleep(500);
  }
  t.notMatch(vips(), /10\.69\.0\.100|fd69::100/, 'with our adverts coming keepalived stays backup');
  let taken = '';
  for (let i = 0; i < 80 && !(/10\.69\.0\.100/.test(taken) && /fd69::100/.test(taken)); i++) {
    await sleep(100);
    taken = vips();
  }
  t.match(taken, /10\.69\.0\.100/, 'when they stop, it takes over the IPv4 VIP');
  t.match(taken, /fd69::100/, 'and the IPv6 one');
});
