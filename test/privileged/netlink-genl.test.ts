import t from 'tap';
import { nativeUnavailable } from '../../src/native/addon.js';
import { NETLINK_GENERIC, NetlinkSocket } from '../../src/native/netlink-socket.js';
import { NetlinkEngine } from '../../src/netlink/engine.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { GENL_ID_CTRL, listFamilies, resolveFamily } from '../../src/netlink/genl.js';
import { IpvsClient } from '../../src/netlink/ipvs/client.js';
import { Lab } from '../../src/testing/netns.js';

// Generic netlink against the real kernel: nlctrl resolves families; IPVS is resolved the same way and, on a
// kernel without it (this host), fails with a clean ENOENT. On a kernel with IPVS the same test reads its info.

const noAddon = nativeUnavailable();
const skip = process.getuid?.() !== 0 ? 'needs root (the privileged tier)' : noAddon ? `native addon: ${noAddon}` : false;
if (skip) t.comment(`skipping: ${skip}`);

t.test('nlctrl resolves itself and lists the kernel families', { skip }, async (t) => {
  const engine = new NetlinkEngine(NetlinkSocket.open({ protocol: NETLINK_GENERIC }));
  t.teardown(() => engine.close());
  const ctrl = await resolveFamily(engine, 'nlctrl');
  t.equal(ctrl.id, GENL_ID_CTRL);
  t.equal(ctrl.name, 'nlctrl');
  t.ok(ctrl.ops.some((o) => o.id === 3), 'CTRL_CMD_GETFAMILY is among its ops');
  t.ok(ctrl.mcastGroups.has('notify'));
  const all = await listFamilies(engine);
  t.ok(all.some((f) => f.name === 'nlctrl' && f.id === GENL_ID_CTRL), `${all.length} families: ${all.map((f) => f.name).join(' ')}`);
  const again = await Promise.all(all.map((f) => resolveFamily(engine, f.name)));
  t.same(again.map((f) => f.id), all.map((f) => f.id), 'each listed family resolves to the same id, all in flight at once');
});

t.test('IPVS: a clean ENOENT without it, its info with it', { skip }, async (t) => {
  const got = await IpvsClient.open().then((c) => c, (e: unknown) => e);
  if (got instanceof IpvsClient) {
    t.teardown(() => got.close());
    const info = await got.getInfo();
    t.match(info.version, /^\d+\.\d+\.\d+$/);
    t.ok(info.connTabSize > 0);
    t.comment(`this kernel has IPVS ${info.version} (size=${info.connTabSize})`);
    return;
  }
  t.type(got, NetlinkError);
  t.match(got, { errno: 'ENOENT', code: 'LVSD_E_NETLINK_ENOENT', message: /the kernel has no generic netlink family IPVS \(ENOENT\): .*modprobe ip_vs/ });
  t.comment(`as expected here: ${(got as Error).message}`);
});

t.test('a socket opened in another network namespace talks to that namespace', { skip: skip || (Lab.canRun() ?? false) }, async (t) => {
  const lab = new Lab('nlg');
  t.teardown(() => lab.teardown());
  const ns = lab.host('genl');
  const engine = new NetlinkEngine(NetlinkSocket.open({ protocol: NETLINK_GENERIC, netns: `/run/netns/${ns}` }));
  t.teardown(() => engine.close());
  t.equal((await resolveFamily(engine, 'nlctrl')).id, GENL_ID_CTRL);
  t.throws(() => NetlinkSocket.open({ protocol: NETLINK_GENERIC, netns: '/nonexistent/netns' }), { errno: 'ENOENT', message: /in \/nonexistent\/netns/ });
});
