import t, { type Test } from 'tap';
import { parseIp, type IpAddr } from '../../src/model/address.js';
import { nativeUnavailable } from '../../src/native/addon.js';
import { RtnlMonitor, type RtnlEvent } from '../../src/netlink/rtnl/monitor.js';
import { FrameAnnouncer } from '../../src/platform/announcer.js';
import { Lab } from '../../src/testing/netns.js';

// A takeover on one Ethernet segment (a bridge): the old master a, the new master b, and an observer c whose
// neighbour entry for the VIP points at a. b's gratuitous ARP / unsolicited NA must move c's entry to b's MAC
// at once, without waiting for the entry to expire. `ip neigh` in c is checked before and after; the time from
// send() to c's kernel announcing the change (RTM_NEWNEIGH on a monitor in c) is measured.

const noAddon = nativeUnavailable();
const skip = Lab.canRun() ?? (noAddon ? `native addon: ${noAddon}` : false);
if (skip) t.comment(`skipping: ${skip}`);

const ip = (s: string): IpAddr => parseIp(s)!;
const ROUNDS = 20;

interface Segment { lab: Lab; a: string; b: string; c: string; mac: (ns: string) => string }

function segment(t: Test): Segment {
  const lab = new Lab('an');
  t.teardown(() => lab.teardown());
  const [a, b, c] = ['a', 'b', 'c'].map((n) => lab.host(n)) as [string, string, string];
  for (const ns of [a, b, c]) lab.exec(ns, 'sysctl', ['-qw', 'net.ipv6.conf.default.accept_dad=0']);
  lab.bridge([{ ns: a, addr: '10.62.0.1/24' }, { ns: b, addr: '10.62.0.2/24' }, { ns: c, addr: '10.62.0.3/24' }]);
  lab.exec(c, 'ip', ['addr', 'add', 'fd62::3/64', 'dev', 'lan0', 'nodad']);
  const mac = (ns: string): string => /link\/ether ([0-9a-f:]+)/.exec(lab.exec(ns, 'ip', ['-o', 'link', 'show', 'dev', 'lan0']))![1]!;
  return { lab, a, b, c, mac };
}

function neighOf(lab: Lab, ns: string, vip: IpAddr): string {
  return lab.exec(ns, 'ip', [vip.af === 4 ? '-4' : '-6', 'neigh', 'show', vip.text, 'dev', 'lan0']).trim();
}

async function takeover(t: Test, family: 4 | 6): Promise<void> {
  const { lab, a, b, c, mac } = segment(t);
  const vip = ip(family === 4 ? '10.62.0.100' : 'fd62::100');
  const [macA, macB] = [mac(a), mac(b)];
  lab.exec(c, 'ip', ['neigh', 'replace', vip.text, 'lladdr', macA, 'dev', 'lan0', 'nud', 'reachable']);
  t.match(neighOf(lab, c, vip), new RegExp(`lladdr ${macA} REACHABLE`), `before: c sends ${vip.text} to a (${macA})`);

  const seen: { at: bigint; e: RtnlEvent }[] = [];
  const mon = RtnlMonitor.open({ netns: `/run/netns/${c}`, neighbours: true, onEvent: (e) => seen.push({ at: process.hrtime.bigint(), e }) });
  t.teardown(() => mon.close());
  const senders = { [a]: new FrameAnnouncer({ netns: `/run/netns/${a}` }), [b]: new FrameAnnouncer({ netns: `/run/netns/${b}` }) };
  t.teardown(() => Object.values(senders).forEach((s) => s.close()));

  const latencies: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const [from, want] = i % 2 === 0 ? [b, macB] : [a, macA]; // back and forth: every round is a change
    seen.length = 0;
    const sent = process.hrtime.bigint();
    senders[from]!.announce('lan0', vip);
    let hit: { at: bigint } | undefined;
    for (let w = 0; w < 400 && !hit; w++) {
      hit = seen.find(({ e }) => e.kind === 'neighbour' && e.neighbour.dst.text === vip.text && e.neighbour.lladdr === want);
      if (!hit) await new Promise((r) => setTimeout(r, 1));
    }
    if (!hit) {
      t.fail(`round ${i}: c never moved ${vip.text} to ${want}; it has: ${neighOf(lab, c, vip)}`);
      return;
    }
    latencies.push(Number(hit.at - sent) / 1e6);
    if (i === 0) t.match(neighOf(lab, c, vip), new RegExp(`lladdr ${macB} (STALE|REACHABLE)`), `after b's announcement: c sends ${vip.text} to b (${macB})`);
  }
  latencies.sort((x, y) => x - y);
  t.equal(latencies.length, ROUNDS, `${ROUNDS} announcements, each moved the entry`);
  t.comment(`${family === 4 ? 'gratuitous ARP' : 'unsolicited NA'} → neighbour entry changed in the other namespace: ` +
    `median ${latencies[ROUNDS >> 1]!.toFixed(3)} ms, max ${latencies[ROUNDS - 1]!.toFixed(3)} ms over ${ROUNDS} (send() to RTM_NEWNEIGH received)`);
}

t.test('gratuitous ARP moves the observer\'s ARP entry to the new master', { skip }, (t) => takeover(t, 4));
t.test('unsolicited NA moves the observer\'s neighbour entry to the new master', { skip }, (t) => takeover(t, 6));

t.test('a virtual MAC is announced as given; a missing interface is a clear error', { skip }, async (t) => {
  const { lab, b, c } = segment(t);
  const vip = ip('10.62.0.101');
  const vmac = '00:00:5e:00:01:33'; // VRRP IPv4 virtual MAC of VRID 51 (RFC 5798 §7.3)
  lab.exec(c, 'ip', ['neigh', 'replace', vip.text, 'lladdr', '02:00:00:00:00:01', 'dev', 'lan0', 'nud', 'stale']);
  const an = new FrameAnnouncer({ netns: `/run/netns/${b}` });
  t.teardown(() => an.close());
  an.announce('lan0', vip, Buffer.from(vmac.replaceAll(':', ''), 'hex'));
  let now = '';
  for (let w = 0; w < 200 && !now.includes(vmac); w++) {
    await new Promise((r) => setTimeout(r, 5));
    now = neighOf(lab, c, vip);
  }
  t.match(now, `lladdr ${vmac}`);
  t.throws(() => an.announce('nosuch0', vip), { code: 'LVSD_E_FRAME_ENODEV', message: /frame sender on nosuch0 .*SIOCGIFINDEX/ });
});
