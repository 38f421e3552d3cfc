import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseIp } from '../../src/model/address.js';
import { nativeUnavailable } from '../../src/native/addon.js';
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

t.test('keepalived\'s adverts, v2 over IPv4 and v3 over IPv6, as the transport receives them', { skip }, async (t) => {
  const lab = new Lab('ka');
  t.teardown(() => lab.teardown());
  const dir = mkdtempSync(path.join(tmpdir(), 'lvsd-ka-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const a = lab.host('a');
  const b = lab.host('b');
  for (const ns of [a, b]) lab.exec(ns, 'sysctl', ['-qw', 'net.ipv6.conf.default.accept_dad=0']);
  lab.link(a, '10.67.0.1/24', b, '10.67.0.2/24');
  const linkLocalA = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(lab.exec(a, 'ip', ['-6', 'addr', 'show', 'dev', 'v0x1']))![1]!;

  const got: VrrpPacket[] = [];
  const transport = new NativeVrrpTransport({ netns: `/run/netns/${b}` });
  const v4 = transport.open({ family: 4, interface: 'v1x0', onPacket: (p) => got.push(p) });
  const v6 = transport.open({ family: 6, interface: 'v1x0', onPacket: (p) => got.push(p) });
  t.teardown(() => { v4.close(); v6.close(); });

  const conf = path.join(dir, 'keepalived.conf');
  writeFileSync(conf, `
global_defs {
  router_id lvsd_test
}
vrrp_instance V4 {
  state MASTER
  interface v0x1
  virtual_router_id 51
  priority 255
  advert_int 1
  virtual_ipaddress {
    10.67.0.100/24
  }
}
vrrp_instance V6 {
  state MASTER
  interface v0x1
  virtual_router_id 52
  priority 255
  advert_int 1
  virtual_ipaddress {
    fd67::100/64
  }
}
`);
  const ka = lab.spawn(a, 'keepalived', ['-n', '-l', '-G', '-P', '-f', conf, '-p', path.join(dir, 'k.pid'), '-r', path.join(dir, 'v.pid')]);
  let log = '';
  ka.stdout?.on('data', (d: Buffer) => { log += d.toString(); });
  ka.stderr?.on('data', (d: Buffer) => { log += d.toString(); });

  const has = (af: 4 | 6) => got.some((p) => p.src.af === af);
  for (let i = 0; i < 800 && !(has(4) && has(6)); i++) await new Promise((r) => setTimeout(r, 10));
  t.ok(has(4) && has(6), `adverts of both families arrived${has(4) && has(6) ? '' : `; keepalived said:\n${log}`}`);

  const p4 = got.find((p) => p.src.af === 4);
  if (p4) {
    t.match(p4, { src: parseIp('10.67.0.1'), dst: parseIp('224.0.0.18'), ttl: 255, ifindex: v4.ifindex });
    t.same([...p4.bytes.subarray(0, 4)], [0x21, 51, 255, 1], 'VRRPv2 advertisement, VRID 51, priority 255, one address');
    t.same([...p4.bytes.subarray(8, 12)], [10, 67, 0, 100], 'the VIP');
  }
  const p6 = got.find((p) => p.src.af === 6);
  if (p6) {
    t.match(p6, { src: parseIp(linkLocalA), dst: parseIp('ff02::12'), ttl: 255, ifindex: v6.ifindex });
    t.same([...p6.bytes.subarray(0, 4)], [0x31, 52, 255, 1], 'VRRPv3 advertisement, VRID 52, priority 255, one address');
  }
});
