import t, { type Test } from 'tap';
import { parseIp } from '../../src/model/address.js';
import type { VirtualIp } from '../../src/model/config-vrrp.js';
import { nativeUnavailable } from '../../src/native/addon.js';
import { RtnlClient } from '../../src/netlink/rtnl/client.js';
import { VipManager } from '../../src/platform/vip-manager.js';
import { Lab } from '../../src/testing/netns.js';

// VipManager against the real kernel in a namespace: keepalived virtual_ipaddress lines in, addresses on the
// interfaces out, idempotent both ways, failures named by their config line while the rest still apply.

const noAddon = nativeUnavailable();
const skip = Lab.canRun() ?? (noAddon ? `native addon: ${noAddon}` : false);
if (skip) t.comment(`skipping: ${skip}`);

let line = 10;
function vip(text: string, prefix: number, more: Partial<VirtualIp> = {}): VirtualIp {
  const addr = parseIp(text)!;
  return {
    loc: { file: 'keepalived.conf', line: line++ }, addr, prefix, dev: null, scope: 0, label: null, broadcast: null, peer: null,
    noTrack: false, preferredLft: addr.af === 6 && prefix === 128 ? 0 : null, home: false, nodad: false, mngtmpaddr: false,
    noprefixroute: false, autojoin: false, ...more,
  };
}

/** Host a (v0x1 10.N.0.1/24) linked to b, and a VipManager talking to a's namespace. */
function setup(t: Test, net: number): { lab: Lab; a: string; vm: VipManager } {
  const lab = new Lab('vm');
  t.teardown(() => lab.teardown());
  const a = lab.host('a');
  const b = lab.host('b');
  lab.link(a, `10.${net}.0.1/24`, b, `10.${net}.0.2/24`);
  const rt = RtnlClient.open({ netns: `/run/netns/${a}` });
  t.teardown(() => rt.close());
  return { lab, a, vm: new VipManager(rt) };
}

t.test('add and remove a VRRP instance\'s addresses, twice each', { skip }, async (t) => {
  const { lab, a, vm } = setup(t, 65);
  lab.exec(a, 'ip', ['link', 'add', 'dummyish', 'type', 'veth', 'peer', 'name', 'dummyish-p']);
  lab.exec(a, 'ip', ['link', 'set', 'dummyish', 'up']);
  const vips = [
    vip('10.65.0.100', 24, { broadcast: parseIp('10.65.0.255'), label: 'v0x1:1' }),
    vip('10.65.0.101', 32, { scope: 253 }),
    vip('192.0.2.1', 32, { peer: parseIp('192.0.2.2'), dev: 'dummyish' }),
    vip('fd65::100', 128, { nodad: true }),
    vip('fd65:1::1', 64, { nodad: true, noprefixroute: true }),
  ];
  const show = (): string => lab.exec(a, 'ip', ['-o', 'addr', 'show']);
  await vm.add(vips, 'v0x1');
  const s = show();
  t.match(s, /v0x1 +inet 10\.65\.0\.100\/24 brd 10\.65\.0\.255 scope global secondary v0x1:1/);
  t.match(s, /v0x1 +inet 10\.65\.0\.101\/32 scope link/);
  t.match(s, /dummyish +inet 192\.0\.2\.1 peer 192\.0\.2\.2\/32 scope global/);
  t.match(s, /v0x1 +inet6 fd65::100\/128 scope global nodad deprecated/);
  t.match(s, /v0x1 +inet6 fd65:1::1\/64 scope global nodad noprefixroute/);
  t.notMatch(lab.exec(a, 'ip', ['-6', 'route', 'show']), /fd65:1::\/64/, 'noprefixroute: no prefix route');
  await vm.add(vips, 'v0x1');
  t.pass('adding them again is not an error');
  t.equal(show(), s, 'and changes nothing');
  await vm.remove(vips, 'v0x1');
  t.notMatch(show(), /10\.65\.0\.10[01]|192\.0\.2\.1|fd65/, 'all gone');
  await vm.remove(vips, 'v0x1');
  t.pass('removing them again is not an error');
  lab.exec(a, 'ip', ['link', 'del', 'dummyish']);
  await vm.remove([vips[2]!], 'v0x1');
  t.pass('nor is removing from an interface that no longer exists');
});

t.test('failures name their config line; the other addresses are still applied', { skip }, async (t) => {
  const { lab, a, vm } = setup(t, 66);
  const good = vip('10.66.0.100', 24);
  const noDev = vip('10.66.0.101', 24, { dev: 'nosuch0' });
  const badLabel = vip('10.66.0.102', 24, { label: 'x'.repeat(20) }); // IFNAMSIZ: the kernel refuses it
  const err = await vm.add([good, noDev, badLabel], 'v0x1').then(() => null, (e: unknown) => e);
  t.match(err, { code: 'LVSD_E_VIP', name: 'VipError' });
  const msg = (err as Error).message;
  t.match(msg, /could not add 2 virtual address\(es\)/);
  t.match(msg, new RegExp(`keepalived.conf:${noDev.loc.line} 10\\.66\\.0\\.101/24: looking up interface nosuch0: no such interface`));
  t.match(msg, new RegExp(`keepalived.conf:${badLabel.loc.line} 10\\.66\\.0\\.102/24: adding .*: E[A-Z]+`));
  t.match(lab.exec(a, 'ip', ['-o', 'addr', 'show', 'dev', 'v0x1']), /10\.66\.0\.100\/24/, 'the good one was added');
  const none = await vm.add([vip('10.66.0.103', 24)], null).then(() => null, (e: unknown) => e);
  t.match(none, { code: 'LVSD_E_VIP', message: /no dev given and the instance has no interface/ });
});
