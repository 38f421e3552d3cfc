import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { parseIp, type IpAddr } from '../../src/model/address.js';
import { nativeUnavailable } from '../../src/native/addon.js';
import { RtnlClient } from '../../src/netlink/rtnl/client.js';
import { RtnlMonitor, type RtnlEvent } from '../../src/netlink/rtnl/monitor.js';
import { Lab } from '../../src/testing/netns.js';

// rtnetlink against the real kernel, in a namespace made for the test: look interfaces up, add / list / delete
// VIPs and routes (checked with iproute2), and watch links go down and up.

const noAddon = nativeUnavailable();
const skip = Lab.canRun() ?? (noAddon ? `native addon: ${noAddon}` : false);
if (skip) t.comment(`skipping: ${skip}`);

const ip = (s: string): IpAddr => parseIp(s)!;

function setup(t: Test): { lab: Lab; a: string; b: string; rt: RtnlClient } {
  const lab = new Lab('rt');
  t.teardown(() => lab.teardown());
  const a = lab.host('a');
  const b = lab.host('b');
  lab.exec(a, 'sysctl', ['-qw', 'net.ipv6.conf.default.accept_dad=0']); // link-local usable at once
  lab.link(a, '10.63.0.1/24', b, '10.63.0.2/24');
  const rt = RtnlClient.open({ netns: `/run/netns/${a}` });
  t.teardown(() => rt.close());
  return { lab, a, b, rt };
}

t.test('interfaces by name: index, MAC and state as iproute2 shows them', { skip }, async (t) => {
  const { lab, a, rt } = setup(t);
  const link = await rt.link('v0x1');
  const shown = lab.exec(a, 'ip', ['-o', 'link', 'show', 'dev', 'v0x1']);
  t.equal(link.index, Number(/^(\d+):/.exec(shown)![1]));
  t.equal(link.mac, /link\/ether ([0-9a-f:]+)/.exec(shown)![1]);
  t.match(link, { name: 'v0x1', adminUp: true, lowerUp: true, running: true, operstate: 'up', mtu: 1500 });
  t.same(await rt.sourceAddress(link.index, 4), ip('10.63.0.1'), 'the primary IPv4 address');
  lab.exec(a, 'ip', ['addr', 'add', '10.63.0.50/24', 'dev', 'v0x1']);
  t.same(await rt.sourceAddress(link.index, 4), ip('10.63.0.1'), 'not a secondary one');
  const ll = ip(lab.linkLocal(a, 'v0x1'));
  t.same(await rt.sourceAddress(link.index, 6), ll, 'IPv6: the link-local address');
  t.equal(await rt.sourceAddress((await rt.link('lo')).index, 6), null, 'none on lo');
  const all = await rt.links();
  t.same(all.map((l) => l.name).sort(), ['lo', 'v0x1']);
  await t.rejects(rt.link('nosuch0'), { errno: 'ENODEV', code: 'LVSD_E_NETLINK_ENODEV', message: /looking up interface nosuch0: no such interface/ });
});

t.test('VIPs: add with label, broadcast and scope; list; EEXIST; delete; EADDRNOTAVAIL', { skip }, async (t) => {
  const { lab, a, rt } = setup(t);
  const { index } = await rt.link('v0x1');
  const vip = { ifindex: index, addr: ip('10.63.0.100'), prefix: 24, label: 'v0x1:vip', broadcast: ip('10.63.0.255') };
  await rt.addAddress(vip);
  t.match(lab.exec(a, 'ip', ['-o', '-4', 'addr', 'show', 'dev', 'v0x1']), /inet 10\.63\.0\.100\/24 brd 10\.63\.0\.255 scope global secondary v0x1:vip/);
  const listed = (await rt.addresses({ family: 4, ifindex: index })).find((x) => x.addr.text === '10.63.0.100');
  t.match(listed, { prefix: 24, label: 'v0x1:vip', broadcast: ip('10.63.0.255'), peer: null, scope: 0, validLft: 'forever' });
  await t.rejects(rt.addAddress(vip), { errno: 'EEXIST', message: /adding 10\.63\.0\.100\/24 to interface \d+: EEXIST/ });
  await rt.deleteAddress(vip);
  t.notMatch(lab.exec(a, 'ip', ['-o', 'addr', 'show', 'dev', 'v0x1']), /10\.63\.0\.100/);
  await t.rejects(rt.deleteAddress(vip), { name: 'NetlinkError', errno: 'EADDRNOTAVAIL' });

  const host = { ifindex: index, addr: ip('10.63.9.1'), prefix: 32, peer: ip('10.63.9.2'), scope: 253 };
  await rt.addAddress(host);
  t.match(lab.exec(a, 'ip', ['-o', '-4', 'addr', 'show', 'dev', 'v0x1']), /inet 10\.63\.9\.1 peer 10\.63\.9\.2\/32 scope link/);
  t.match((await rt.addresses({ ifindex: index })).find((x) => x.addr.text === '10.63.9.1'), { peer: ip('10.63.9.2'), scope: 253 });

  const six = { ifindex: index, addr: ip('fd63::100'), prefix: 128, flags: 0x02 /* nodad */, preferredLft: 0 };
  await rt.addAddress(six);
  t.match(lab.exec(a, 'ip', ['-o', '-6', 'addr', 'show', 'dev', 'v0x1']), /inet6 fd63::100\/128 scope global nodad deprecated .*preferred_lft 0sec/);
  t.match((await rt.addresses({ family: 6 })).find((x) => x.addr.text === 'fd63::100'), { prefix: 128, preferredLft: 0, validLft: 'forever' });
  await rt.deleteAddress(six);
  await t.rejects(rt.addAddress({ ifindex: 9999, addr: ip('10.63.0.101'), prefix: 24 }), { name: 'NetlinkError', errno: 'ENODEV' });
});

t.test('an address add round trip, measured', { skip }, async (t) => {
  const { rt } = setup(t);
  const { index } = await rt.link('v0x1');
  const n = 200;
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = { ifindex: index, addr: ip(`10.64.${i >> 8}.${(i & 255) + 1}`), prefix: 32 };
    const t0 = process.hrtime.bigint();
    await rt.addAddress(s);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const listed = await rt.addresses({ ifindex: index, family: 4 });
  t.equal(listed.filter((x) => x.addr.text.startsWith('10.64.')).length, n, 'every one is there');
  const t0 = process.hrtime.bigint();
  await Promise.all(listed.filter((x) => x.addr.text.startsWith('10.64.')).map((x) => rt.deleteAddress({ ifindex: index, addr: x.addr, prefix: 32 })));
  const batchMs = Number(process.hrtime.bigint() - t0) / 1e6;
  t.equal((await rt.addresses({ ifindex: index, family: 4 })).filter((x) => x.addr.text.startsWith('10.64.')).length, 0, 'and all are gone');
  times.sort((x, y) => x - y);
  t.comment(`address add round trip over ${n} sequential adds: mean ${(times.reduce((x, y) => x + y, 0) / n).toFixed(3)} ms, median ${times[n >> 1]!.toFixed(3)} ms, p99 ${times[Math.floor(n * 0.99)]!.toFixed(3)} ms, max ${times[n - 1]!.toFixed(3)} ms; ${n} deletes in flight together: ${batchMs.toFixed(1)} ms`);
});

t.test('routes: add and delete, as ip route shows them', { skip }, async (t) => {
  const { lab, a, rt } = setup(t);
  const { index } = await rt.link('v0x1');
  const r = { dst: ip('198.51.100.0'), prefix: 24, gateway: ip('10.63.0.2'), ifindex: index, metric: 7 };
  await rt.addRoute(r);
  t.match(lab.exec(a, 'ip', ['route', 'show', '198.51.100.0/24']), /198\.51\.100\.0\/24 via 10\.63\.0\.2 dev v0x1 metric 7/);
  await t.rejects(rt.addRoute(r), { name: 'NetlinkError', errno: 'EEXIST' });
  await rt.deleteRoute(r);
  t.equal(lab.exec(a, 'ip', ['route', 'show', '198.51.100.0/24']).trim(), '');
  await t.rejects(rt.deleteRoute(r), { name: 'NetlinkError', errno: 'ESRCH' });
});

t.test('link events: down and up, carrier lost when the peer goes down', { skip }, async (t) => {
  const { lab, a, b } = setup(t);
  const events: RtnlEvent[] = [];
  const mon = RtnlMonitor.open({ netns: `/run/netns/${a}`, links: true, addresses: true, onEvent: (e) => events.push(e) });
  t.teardown(() => mon.close());
  const wait = async (pred: (e: RtnlEvent) => boolean): Promise<RtnlEvent | undefined> => {
    for (let i = 0; i < 200; i++) {
      const hit = events.find(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 5));
    }
    return undefined;
  };
  const link = (e: RtnlEvent) => (e.kind === 'link' && e.link.name === 'v0x1' ? e.link : null);
  lab.exec(a, 'ip', ['link', 'set', 'v0x1', 'down']);
  t.match(link((await wait((e) => link(e)?.adminUp === false))!), { adminUp: false, running: false }, 'ip link set down: seen');
  events.length = 0;
  lab.exec(a, 'ip', ['link', 'set', 'v0x1', 'up']);
  t.match(link((await wait((e) => link(e)?.running === true))!), { adminUp: true, lowerUp: true, operstate: 'up' }, 'and up again');
  events.length = 0;
  lab.exec(b, 'ip', ['link', 'set', 'v1x0', 'down']);
  t.match(link((await wait((e) => link(e)?.lowerUp === false))!), { adminUp: true, lowerUp: false, running: false, operstate: 'down' }, 'peer down: carrier lost');
  lab.exec(a, 'ip', ['addr', 'add', '10.63.1.1/24', 'dev', 'v0x1']);
  const added = await wait((e) => e.kind === 'address' && !e.deleted && e.address.addr.text === '10.63.1.1');
  t.ok(added, 'an address added by someone else is seen too');
});

t.test('a monitor closed by its own handler gets nothing more, even from the same batch', { skip }, async (t) => {
  const { lab, a } = setup(t);
  const events: RtnlEvent[] = [];
  const mon = RtnlMonitor.open({ netns: `/run/netns/${a}`, links: true, onEvent: (e) => { events.push(e); mon.close(); } });
  t.teardown(() => mon.close());
  // Synchronous: the ten link events queue up before the monitor's socket is read, and arrive as one batch.
  execFileSync('ip', ['-n', a, '-batch', '-'], { input: `${Array.from({ length: 5 }, (_, i) => `link add m${i} type veth peer name n${i}`).join('\n')}\n` });
  for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
  t.equal(events.length, 1, 'one event, then nothing');
  t.match(lab.exec(a, 'ip', ['-o', 'link', 'show', 'm4']), /m4@n4/, 'the links were made');
});
