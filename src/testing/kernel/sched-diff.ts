import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { SCHEDULER_NAMES } from '../../model/scheduler.js';
import type { Lab } from '../netns.js';
import { GUEST_NODE_FLAGS } from './guest-env.js';
import { guestProgram, runProgram, scenarioLab, startProgram, sysctls } from './lab.js';
import { writeDurable, type Asserts, type Scenario, type ScenarioContext } from './scenario.js';
import {
  buildPlan, clientAddr, CLIENTS_PER_FAMILY, isV6, VIP6_FOLD_A, VIP6_FOLD_B, LOCALITY_EXPIRATION_S, PAUSE_MS, REAL_PORT, REALS4, REALS6, VIP4, VIP6, WEIGHTS,
  PROXY_SCHEDULERS, type Action, type Counts, type Plan, type ProxyReplay, type Rec, type SvcDef,
} from './sched-diff-plan.js';
import { replayDirector } from './sched-replay.js';

/**
 * The scheduler differential test: real TCP connections through kernel IPVS (NAT, IPv4, IPv6 and fwmark
 * services, one set per scheduler the guest kernel has), from many client addresses with chosen source
 * ports, held, closed and reset, around quiesces, weight changes, deletes and re-adds and a pause longer
 * than CLOSE's timeout. The guest records which real server answered each connection and the kernel's
 * final ActiveConn/InActConn; the host replays the same sequence through lvsd's director with the guest's
 * timestamps as the clock and requires the same choices and counts. The guest also replays the v4
 * sequence of the schedulers that do not hash addresses through the proxy plane (real loopback sockets,
 * FakeClock), which must choose as the kernel did.
 *
 *   client ns  198.19.0.0/16, 2001:2::/56 (48 addresses each) ── director ns (VIPs, IPVS NAT)
 *   director ── servers ns: 198.18.2.11-14, 2001:2:0:200::11-14 (port 80, each says its address)
 */

export interface SchedDiffData {
  scheds: string[];
  recs: Rec[];
  finalT: number;
  counts: Counts;
  proxy: ProxyReplay | { error: string };
}

const NAME = 'sched-diff';

/** Runs many `ip` commands in one process (`ip -n NS -batch -`): each exec costs much in UML. */
function ipBatch(ns: string, lines: readonly string[]): void {
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
}

function buildLab(lab: Lab, services: readonly SvcDef[]): { client: string; director: string; servers: string } {
  const client = lab.host('client');
  const director = lab.host('director');
  const servers = lab.host('servers');
  execFileSync('ip', ['link', 'add', 'c0', 'netns', client, 'type', 'veth', 'peer', 'name', 'd0', 'netns', director], { stdio: ['ignore', 'ignore', 'pipe'] });
  execFileSync('ip', ['link', 'add', 'd1', 'netns', director, 'type', 'veth', 'peer', 'name', 's0', 'netns', servers], { stdio: ['ignore', 'ignore', 'pipe'] });
  ipBatch(director, [
    'link set d0 up', 'link set d1 up',
    'addr add 198.19.255.1/16 dev d0', 'addr add 2001:2::1/56 dev d0 nodad',
    `addr add ${VIP4}/32 dev d0`, ...[VIP6, VIP6_FOLD_A, VIP6_FOLD_B].map((a) => `addr add ${a}/128 dev d0 nodad`),
    'addr add 198.18.2.1/24 dev d1', 'addr add 2001:2:0:200::1/64 dev d1 nodad',
  ]);
  sysctls(lab, director, {
    'net.ipv4.ip_forward': '1',
    'net.ipv6.conf.all.forwarding': '1',
    'net.ipv4.vs.lblc_expiration': String(LOCALITY_EXPIRATION_S),
    'net.ipv4.vs.lblcr_expiration': String(LOCALITY_EXPIRATION_S),
  });
  // Firewall marks at the director's ingress (tc, before netfilter and IPVS): TCP to VIP4 on each fwm
  // service's port gets that service's mark.
  const marks = services.filter((s) => s.kind === 'fwm' || s.kind === 'fwm6').flatMap((s, k) => s.vaddrs.map((a) => s.kind === 'fwm'
    ? `filter add dev d0 ingress protocol ip prio ${k + 1} u32 match ip dst ${a}/32 match ip protocol 6 0xff match ip dport ${s.vport} 0xffff action skbedit mark ${s.fwmark}`
    : `filter add dev d0 ingress protocol ipv6 prio ${k + 1} u32 match ip6 dst ${a}/128 match ip6 protocol 6 0xff match ip6 dport ${s.vport} 0xffff action skbedit mark ${s.fwmark}`));
  execFileSync('tc', ['-n', director, '-batch', '-'], { input: `${['qdisc add dev d0 ingress', ...marks].join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  const clients = Array.from({ length: CLIENTS_PER_FAMILY }, (_, n) => [
    `addr add ${clientAddr(false, n)}/16 dev c0`, `addr add ${clientAddr(true, n)}/56 dev c0 nodad`,
  ]).flat();
  ipBatch(client, ['link set c0 up', ...clients, 'route add default via 198.19.255.1', 'route add default via 2001:2::1']);
  // NAT: replies must pass the director to be translated back.
  ipBatch(servers, [
    'link set s0 up',
    ...REALS4.map((a) => `addr add ${a}/24 dev s0`), ...REALS6.map((a) => `addr add ${a}/64 dev s0 nodad`),
    'route add default via 198.18.2.1', 'route add default via 2001:2:0:200::1',
  ]);
  return { client, director, servers };
}

function vs(s: SvcDef): string[] {
  if (s.kind === 'fwm') return ['-f', String(s.fwmark)];
  if (s.kind === 'fwm6') return ['-f', String(s.fwmark), '-6'];
  return ['-t', s.kind === 'v6' ? `[${s.vaddrs[0]}]:${s.vport}` : `${s.vaddrs[0]}:${s.vport}`];
}
const rs = (s: SvcDef, real: number): string => (isV6(s.kind) ? `[${s.reals[real]}]:${REAL_PORT}` : `${s.reals[real]}:${REAL_PORT}`);

/** One ipvsadm -R line per table action. */
function ipvsadmLine(services: readonly SvcDef[], x: Action): string | null {
  if (x.a !== 'edit' && x.a !== 'add' && x.a !== 'del') return null;
  const s = services[x.svc];
  if (x.a === 'del') return ['-d', ...vs(s), '-r', rs(s, x.real)].join(' ');
  return [x.a === 'add' ? '-a' : '-e', ...vs(s), '-r', rs(s, x.real), '-m', '-w', String(x.weight)].join(' ');
}

function setupLines(services: readonly SvcDef[]): string[] {
  return services.flatMap((s) => [
    ['-A', ...vs(s), '-s', s.sched, ...(s.flags.length ? ['-b', s.flags.join(',')] : [])].join(' '),
    ...s.reals.map((_, i) => ['-a', ...vs(s), '-r', rs(s, i), '-m', '-w', String(WEIGHTS[i])].join(' ')),
  ]);
}

/** `ipvsadm -Ln` → ActiveConn/InActConn by service index and real address. */
export function parseCounts(listing: string, services: readonly SvcDef[]): Counts {
  const index = new Map(services.map((s, i) => [s.fwmark ? `FWM ${s.fwmark}` : `TCP ${vs(s)[1]}`, i]));
  const out: Counts = {};
  let cur: number | undefined;
  for (const line of listing.split('\n')) {
    const svc = /^(TCP|FWM)\s+(\S+)/.exec(line);
    if (svc) {
      cur = index.get(`${svc[1]} ${svc[2]}`);
      if (cur !== undefined) out[cur] = {};
      continue;
    }
    const d = /^\s+->\s+(\S+):\d+\s+\w+\s+\d+\s+(\d+)\s+(\d+)/.exec(line);
    if (d && cur !== undefined) out[cur][d[1].replace(/^\[|\]$/g, '')] = [Number(d[2]), Number(d[3])];
  }
  return out;
}

/** The client agent: one JSON request per line in, one answer per line out, in order. */
function startAgent(ctx: ScenarioContext, ns: string): Promise<(req: object) => Promise<{ name?: string; error?: string }>> {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, process.execPath, ...GUEST_NODE_FLAGS, guestProgram('visit-agent')], { stdio: ['pipe', 'pipe', 'pipe'] });
  ctx.defer(() => child.kill('SIGKILL'));
  const waiting: Array<(a: { name?: string; error?: string }) => void> = [];
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => { ready = resolve; });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') ready();
    else waiting.shift()?.(JSON.parse(line) as { name?: string; error?: string });
  });
  const ask = (req: object) => new Promise<{ name?: string; error?: string }>((resolve) => {
    waiting.push(resolve);
    child.stdin!.write(`${JSON.stringify(req)}\n`);
  });
  return Promise.race([started, sleep(20_000).then(() => { throw new Error('visit-agent not ready in 20 s'); })]).then(() => ask);
}

async function run(ctx: ScenarioContext): Promise<SchedDiffData> {
  // The schedulers this kernel has: init loaded every IPVS module (uml-init.ts).
  const scheds = SCHEDULER_NAMES.filter((n) => existsSync(`/sys/module/ip_vs_${n}`));
  const plan: Plan = buildPlan(scheds);
  const lab = scenarioLab(ctx, 'sd');
  const ns = buildLab(lab, plan.services);
  ctx.log('lab built');
  const ipvsadmBatch = (lines: string[]): void => {
    execFileSync('ip', ['netns', 'exec', ns.director, 'ipvsadm', '-R'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  };
  ipvsadmBatch(setupLines(plan.services));
  await startProgram(lab, ns.servers, 'name-servers', [String(REAL_PORT), ...REALS4, ...REALS6]);
  const ask = await startAgent(ctx, ns.client);
  ctx.log(`${scheds.length} schedulers (${scheds.join(' ')}), ${plan.services.length} services`);

  const origin = performance.now();
  const now = (): number => performance.now() - origin;
  const recs: Rec[] = [];
  for (const step of plan.steps) {
    const edits = step.filter((x) => ipvsadmLine(plan.services, x) !== null);
    if (edits.length > 0) {
      const t0 = now();
      ipvsadmBatch(edits.map((x) => ipvsadmLine(plan.services, x)!));
      const t1 = now();
      for (const x of edits) recs.push({ action: x, t0, t1 });
    }
    for (const x of step) {
      if (x.a === 'conn') {
        const s = plan.services[x.svc];
        const t0 = now();
        const r = await ask({ op: 'visit', id: x.id, host: x.dst, port: s.vport, src: x.client, sport: x.cport, end: x.end });
        recs.push({ action: x, t0, t1: now(), dest: r.name ?? undefined });
      } else if (x.a === 'finish') {
        const t0 = now();
        await ask({ op: 'finish', id: x.id, how: x.how });
        recs.push({ action: x, t0, t1: now() });
      } else if (x.a === 'pause') {
        const t0 = now();
        await sleep(x.ms);
        recs.push({ action: x, t0, t1: now() });
      }
    }
  }
  const finalT = now();
  const listing = lab.exec(ns.director, 'ipvsadm', ['-Ln']);
  writeDurable(path.join(ctx.dir, 'ipvsadm-Ln.txt'), listing);
  const data: SchedDiffData = { scheds, recs, finalT, counts: parseCounts(listing, plan.services), proxy: { error: 'not run' } };
  const file = path.join(ctx.dir, 'kernel.json');
  writeDurable(file, JSON.stringify(data));
  ctx.log(`kernel sequence: ${recs.length} actions in ${Math.round(finalT)} ms; replaying through the proxy plane`);
  const proxyNs = lab.host('proxy');
  try {
    const budget = Math.max(10_000, ctx.deadline - Date.now() - 5_000);
    data.proxy = JSON.parse(await runProgram(proxyNs, 'sched-proxy-replay', [file], budget)) as ProxyReplay;
  } catch (e) {
    data.proxy = { error: (e as Error).message };
  }
  return data;
}

function check(t: Asserts, d: SchedDiffData): void {
  const plan = buildPlan(d.scheds);
  t.ok(d.scheds.length >= 10, `the guest kernel has ${d.scheds.length} schedulers: ${d.scheds.join(' ')}`);
  const conns = d.recs.filter((r) => r.action.a === 'conn');
  const refused = conns.filter((r) => r.dest === undefined).length;
  t.ok(conns.length - refused > conns.length / 2, `${conns.length} connections through the kernel, ${refused} refused (no real server)`);
  checkTiming(t, d);
  const lvsd = replayDirector(plan.services, d.recs, d.finalT);
  const differed: string[] = [];
  for (const sched of d.scheds) {
    const mine = plan.services.map((s, i) => [s, i] as const).filter(([s]) => s.sched === sched);
    const lines: string[] = [];
    for (const [s, i] of mine) {
      for (const r of conns) {
        const x = r.action as Extract<Action, { a: 'conn' }>;
        if (x.svc !== i) continue;
        const want = r.dest ?? null;
        const got = lvsd.choices[x.id] ?? null;
        if (want !== got) lines.push(`${s.kind} conn ${x.id} from ${x.client}:${x.cport}: kernel ${want ?? '-'}, lvsd ${got ?? '-'}`);
      }
      const kc = JSON.stringify(sorted(d.counts[i]));
      const lc = JSON.stringify(sorted(lvsd.counts[i]));
      if (kc !== lc) lines.push(`${s.kind} final ActiveConn/InActConn: kernel ${kc}, lvsd ${lc}`);
    }
    if (lines.length > 0) differed.push(sched);
    t.same(lines, [], `${sched}: lvsd's director chooses what kernel IPVS chose and ends with its counts`);
  }
  t.comment(`schedulers that differed: ${differed.join(' ') || 'none'}`);
  checkProxy(t, d, plan);
}

/**
 * The sequence is only comparable where the kernel's timers cannot go either way: no connection scheduled
 * while a reset connection's CLOSE entry (10 s) may be expiring — kernel/time/timer.c may fire it up to
 * 1/8 of the delay late — and the final listing before the first TIME_WAIT entry (120 s) can expire.
 */
function checkTiming(t: Asserts, d: SchedDiffData): void {
  const svcOf = new Map<number, number>();
  for (const r of d.recs) if (r.action.a === 'conn') svcOf.set(r.action.id, r.action.svc);
  // A CLOSE entry only moves its own service's counters, so only that service's picks are at risk.
  const resets = d.recs.flatMap((r) => {
    const x = r.action;
    if (x.a === 'conn' && x.end === 'reset') return [{ svc: x.svc, t: r.t1 }];
    if (x.a === 'finish' && x.how === 'reset') return [{ svc: svcOf.get(x.id), t: r.t1 }];
    return [];
  });
  const risky = d.recs.filter((r) => r.action.a === 'conn' && resets.some((x) => x.svc === (r.action as { svc: number }).svc && r.t0 > x.t + 9_900 && r.t0 < x.t + 11_500));
  t.equal(risky.length, 0, 'no connection was scheduled while a CLOSE entry of its service could be expiring');
  const firstClean = Math.min(...d.recs.filter((r) => r.action.a === 'conn' && r.action.end === 'clean').map((r) => r.t1));
  t.ok(d.finalT < firstClean + 115_000, `the final listing (${Math.round(d.finalT)} ms) came before any TIME_WAIT entry could expire`);
}

function checkProxy(t: Asserts, d: SchedDiffData, plan: Plan): void {
  if ('error' in d.proxy) {
    t.fail(`the proxy replay did not run: ${d.proxy.error}`);
    return;
  }
  const proxy = d.proxy;
  for (const sched of PROXY_SCHEDULERS.filter((s) => d.scheds.includes(s))) {
    const i = plan.services.findIndex((s) => s.sched === sched && s.kind === 'v4');
    const lines: string[] = [];
    for (const r of d.recs) {
      const x = r.action;
      if (x.a !== 'conn' || x.svc !== i) continue;
      const got = proxy.choices[x.id] ?? null;
      if ((r.dest ?? null) !== got) lines.push(`conn ${x.id}: kernel ${r.dest ?? '-'}, proxy ${got ?? '-'}`);
    }
    const kc = JSON.stringify(sorted(d.counts[i]));
    const pc = JSON.stringify(sorted(proxy.counts[i]));
    if (kc !== pc) lines.push(`final ActiveConn/InActConn: kernel ${kc}, proxy ${pc}`);
    t.same(lines, [], `${sched}: the proxy plane over loopback, the ${PAUSE_MS} ms pause on a FakeClock, chooses as the kernel did`);
  }
}

function sorted(c: Record<string, [number, number]> | undefined): [string, [number, number]][] {
  return Object.entries(c ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

export const schedDiffScenario: Scenario<SchedDiffData> = { name: NAME, budgetMs: 200_000, run, check };
