// Hostile and malformed adverts against a running lvsd VRRP engine (src/testing/vrrp-director.ts: VrrpNode on
// the native transport in a namespace) that is MASTER of a multicast VRRPv3 instance and of a unicast one with
// check_unicast_src. Each forged advert claims a higher priority, so any one accepted would make lvsd yield:
// wrong TTL, bad checksum, wrong VRID, truncated, wrong version, and a non-peer's unicast advert. All must be
// dropped, counted by reason, and change nothing; then a valid higher advert shows the path was live.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseIp, type IpAddr } from '../../src/model/address.js';
import { FrameTx } from '../../src/native/frame-tx.js';
import { nativeUnavailable } from '../../src/native/addon.js';
import { ADDR, until, VIP, VrrpLab } from '../../src/testing/keepalived-pair.js';
import { encodeAdvert } from '../../src/vrrp/codec/advert.js';
import { encodeIpv4 } from '../../src/vrrp/codec/ipv4.js';

const noAddon = nativeUnavailable();
const skip = VrrpLab.missing() ?? (noAddon ? `native addon: ${noAddon}` : false);
const ip = (s: string): IpAddr => parseIp(s)!;
const GROUP = ip('224.0.0.18');
const UVIP = '10.216.0.101';

const conf = `global_defs {
  vrrp_version 3
}
vrrp_instance M {
  state BACKUP
  interface lan0
  virtual_router_id 61
  priority 150
  advert_int 0.1
  virtual_ipaddress {
    ${VIP}/24
  }
}
vrrp_instance U {
  state BACKUP
  interface lan0
  virtual_router_id 62
  priority 150
  advert_int 0.1
  unicast_src_ip ${ADDR.x}
  unicast_peer {
    ${ADDR.y}
  }
  check_unicast_src
  virtual_ipaddress {
    ${UVIP}/24
  }
}
`;

t.test('forged adverts are dropped, counted by reason, and change nothing', { skip }, async (t) => {
  const lab = new VrrpLab('hx');
  t.teardown(() => lab.teardown());
  const d = lab.lvsd('x', conf);
  await until('both instances MASTER', () => d.node.state('M').name === 'MASTER' && d.node.state('U').name === 'MASTER', 5_000);
  const xMac = Buffer.from(/link\/ether ([0-9a-f:]+)/.exec(lab.lab.exec(lab.ns.x, 'ip', ['link', 'show', 'lan0']))![1]!.replace(/:/g, ''), 'hex');
  const tx = FrameTx.open('lan0', `/run/netns/${lab.ns.o}`);
  t.teardown(() => tx.close());
  const o = ip(ADDR.o);
  /** One IPv4 frame from o: the VRRP bytes as given, the TTL as given. */
  const send = (vrrp: Uint8Array, dst: IpAddr, ttl = 255) => {
    const dmac = dst.text === GROUP.text ? Buffer.from('01005e000012', 'hex') : xMac;
    tx.send(Buffer.concat([dmac, tx.mac(), Buffer.from([0x08, 0x00]), encodeIpv4({ src: o, dst, ttl, id: 1 }, vrrp)]));
  };
  const v3 = (vrid: number, priority: number, vip: string, dst: IpAddr) =>
    encodeAdvert({ version: 3, vrid, priority, advertIntCs: 10, addrs: [ip(vip)] }, { src: o, dst });
  const good = v3(61, 254, VIP, GROUP);
  const badSum = good.slice();
  badSum[6]! ^= 0xff;
  const v2 = encodeAdvert({ version: 2, vrid: 61, priority: 254, advertIntSec: 1, authType: 0, authData: new Uint8Array(8), addrs: [ip(VIP)] }, { src: o, dst: GROUP });
  const N = 5;
  for (let i = 0; i < N; i++) {
    send(good, GROUP, 64); // TTL 64: not from this link (RFC 5798 §7.1)
    send(badSum, GROUP);
    send(v3(99, 254, VIP, GROUP), GROUP);
    send(good.subarray(0, 6), GROUP);
    send(v2, GROUP);
    send(v3(62, 254, UVIP, ip(ADDR.x)), ip(ADDR.x)); // unicast from o, which is no unicast_peer
    await sleep(20);
  }
  await sleep(1_000); // ten advert intervals, well past Master_Down_Interval
  t.same(Object.fromEntries(d.node.rejections('M')), { ttl: N, checksum: N, truncated: N, version: N }, 'multicast instance: each forgery counted by its reason');
  t.same(Object.fromEntries(d.node.rejections('U')), { 'unicast-source': N }, 'unicast instance: the non-peer counted');
  t.equal(d.node.unknownVrid, N, 'adverts for VRID 99 counted as for no instance here');
  t.equal(d.node.state('M').name, 'MASTER', 'still MASTER');
  t.equal(d.node.state('U').name, 'MASTER', 'still MASTER');
  const addrs = lab.lab.exec(lab.ns.x, 'ip', ['-4', '-o', 'addr', 'show', 'dev', 'lan0']);
  t.match(addrs, `${VIP}/24`, 'the VIP stayed');
  t.match(addrs, `${UVIP}/24`, 'the unicast VIP stayed');

  // Control: the same advert with TTL 255 is valid, and a higher priority takes the master role away.
  for (let i = 0; i < 3; i++) send(good, GROUP);
  await until('lvsd to yield to a valid higher advert', () => d.node.state('M').name === 'BACKUP', 2_000);
  t.pass('a valid priority-254 advert made lvsd BACKUP: the forged ones reached it and were refused');
});
