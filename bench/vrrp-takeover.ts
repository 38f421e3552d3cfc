/**
 * Takeover time after a MASTER crash, lvsd vs keepalived in the same run and topology (issue 13). Hosts on one
 * bridge (src/testing/keepalived-pair.ts): y runs keepalived at priority 200 as MASTER; x runs the BACKUP at
 * priority 100 — lvsd's VRRP engine (VrrpNode on the native transport, in this process) or keepalived 2.2;
 * o watches the wire and pings the VIP every 10 ms. The crash: y's link goes down and keepalived's VRRP process
 * gets SIGKILL (no priority 0, as a host that dies). Measured from the crash: the backup's first advert as
 * MASTER seen from o, and the first ping reply from the VIP (o's neighbour entry follows the gratuitous ARP).
 * Checked: from the master's last advert to the backup's first, within Master_Down_Interval + 20 ms.
 *
 * keepalived's VRRP process runs SCHED_RR (its default realtime priority); this process takes the same
 * (chrt -r 1), so both hold the CPU alike on a loaded machine. --no-rt leaves it at normal priority.
 *
 *   node --import ./node_modules/@tapjs/typescript/dist/esm/import.mjs bench/vrrp-takeover.ts [--trials N] [--no-rt]
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeVrrpTransport } from '../src/platform/vrrp-socket.js';
import { ADDR, pairConf, until, VIP, VrrpLab, type Variant } from '../src/testing/keepalived-pair.js';
import { masterDownMs } from '../src/vrrp/timing.js';

const arg = process.argv.indexOf('--trials');
const TRIALS = arg > 0 ? Math.max(1, Number(process.argv[arg + 1]) || 10) : 10;
const RT = !process.argv.includes('--no-rt');
if (RT) execFileSync('chrt', ['-r', '-p', '1', String(process.pid)]);
const VARIANTS: Variant[] = [{ version: 2, unicast: false, advertInt: 1 }, { version: 3, unicast: false, advertInt: 0.05 }];
const TARGET_SLACK_MS = 20;

interface Trial { advert: number; reach: number | null; protocol: number }

async function trial(v: Variant, kind: 'lvsd' | 'keepalived', n: number): Promise<Trial> {
  const lab = new VrrpLab(`b${v.version}${kind[0]}${n}`);
  const seen: Array<{ at: number; src: string; priority: number }> = [];
  const watch = new NativeVrrpTransport({ netns: `/run/netns/${lab.ns.o}` }).open({
    family: 4, interface: 'lan0',
    onPacket: (p) => seen.push({ at: performance.now(), src: p.src.text, priority: p.bytes[2] ?? -1 }),
  });
  const ping = spawn('ip', ['netns', 'exec', lab.ns.o, 'ping', '-n', '-D', '-i', '0.01', '-W', '1', VIP], { stdio: ['ignore', 'pipe', 'ignore'] });
  const replies: number[] = [];
  ping.stdout.on('data', (b: Buffer) => { for (const m of b.toString().matchAll(/^\[(\d+\.\d+)\] \d+ bytes from/gm)) replies.push(Number(m[1]) * 1000); });
  try {
    const master = lab.keepalived('y', pairConf(v, 'y', 200));
    await until('the master to take the VIP', () => lab.hasVip('y'), 15_000);
    let backupReady: () => boolean;
    if (kind === 'lvsd') {
      const d = lab.lvsd('x', pairConf(v, 'x', 100));
      backupReady = () => d.node.state('VI').name === 'BACKUP' && d.lastHeard !== null;
    } else {
      const k = lab.keepalived('x', pairConf(v, 'x', 100));
      backupReady = () => k.log.some((l) => /Entering BACKUP STATE/.test(l));
    }
    await until('the backup to listen', backupReady, 15_000);
    await until('o to reach the VIP', () => replies.length > 0, 5_000);
    await sleep(v.advertInt * 2500);
    const crashAt = performance.now();
    const crashWall = Date.now();
    // Not execFileSync: lvsd's engine runs on this event loop, and a blocked loop would delay it, not the protocol.
    const down = new Promise((done) => { execFile('ip', ['-n', lab.ns.y, 'link', 'set', 'lan0', 'down'], () => done(null)); });
    master.crash();
    await down;
    const took = () => seen.find((s) => s.at > crashAt && s.src === ADDR.x);
    await until('the backup to advertise as MASTER', () => took() !== undefined, masterDownMs(v.version, 100, v.advertInt * 1000, 3) + 3_000);
    const first = took()!;
    // A reply counts once the new master has advertised (it sets the address after its first advert): earlier
    // ones were still the old master's, in flight at the crash.
    const since = crashWall + (first.at - crashAt);
    await until('the VIP to answer again', () => replies.some((r) => r > since), 3_000).catch(() => 0);
    // The master is dead: whatever came from it, however late this loop saw it, was sent before the crash.
    const last = seen.filter((s) => s.src === ADDR.y).at(-1)!;
    const reply = replies.find((r) => r > since);
    return { advert: first.at - crashAt, reach: reply === undefined ? null : reply - crashWall, protocol: first.at - last.at };
  } finally {
    ping.kill('SIGKILL');
    watch.close();
    lab.teardown();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${x.toFixed(1)}`.padStart(8);

process.stdout.write(`VRRP takeover after a MASTER crash (SIGKILL + link down), ${TRIALS} trials each; times in ms from the crash; lvsd ${RT ? 'SCHED_RR 1 like keepalived' : 'at normal priority'}\n`);
for (const v of VARIANTS) {
  const mdi = masterDownMs(v.version, 100, v.advertInt * 1000, 3);
  const results: Record<'lvsd' | 'keepalived', Trial[]> = { lvsd: [], keepalived: [] };
  // Interleaved, so load on the shared machine falls on both alike.
  for (let i = 0; i < TRIALS; i++) for (const kind of ['lvsd', 'keepalived'] as const) results[kind].push(await trial(v, kind, i));
  process.stdout.write(`\nVRRPv${v.version} advert_int ${v.advertInt} s, backup priority 100: Master_Down_Interval ${mdi.toFixed(1)} ms, target ≤ ${(mdi + TARGET_SLACK_MS).toFixed(1)} ms\n`);
  process.stdout.write('backup        first advert: median      max   VIP answers: median      max   last→first advert: max   within target\n');
  for (const kind of ['lvsd', 'keepalived'] as const) {
    const r = results[kind];
    const reach = r.flatMap((x) => (x.reach === null ? [] : [x.reach]));
    const within = r.filter((x) => x.protocol <= mdi + TARGET_SLACK_MS).length;
    process.stdout.write(`${kind.padEnd(12)}  ${' '.repeat(13)}${ms(median(r.map((x) => x.advert)))} ${ms(Math.max(...r.map((x) => x.advert)))}  ${' '.repeat(11)}${reach.length ? ms(median(reach)) : '       -'} ${reach.length ? ms(Math.max(...reach)) : '       -'}  ${' '.repeat(17)}${ms(Math.max(...r.map((x) => x.protocol)))}   ${within}/${r.length}\n`);
  }
  const ratio = median(results.lvsd.map((x) => x.advert)) / median(results.keepalived.map((x) => x.advert));
  process.stdout.write(`ratio lvsd/keepalived (median first advert): ${ratio.toFixed(3)}\n`);
}
