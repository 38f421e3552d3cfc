import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientTally } from './http-client.js';
import { runProgram, scenarioLab, startProgram } from './lab.js';
import { buildLvsLab, VIP, type LvsMode } from './lvs-topology.js';
import type { Asserts, Scenario } from './scenario.js';

/**
 * Real HTTP through kernel IPVS, one scenario per forwarding method: a client namespace makes a bounded
 * number of new connections to the VIP, two real servers answer with their names, and the tally says
 * which server the kernel's scheduler picked how often. Tables are programmed with ipvsadm for now.
 */

export interface HttpCase {
  mode: LvsMode;
  scheduler: string;
  /** Weight of rs1 and rs2. */
  weights: [number, number];
  requests: number;
  /**
   * Answers each server must get. Exact, because each request is a new connection from the one client and
   * rr/wrr walk a fixed sequence (net/netfilter/ipvs/ip_vs_rr.c, ip_vs_wrr.c): rr alternates; wrr with
   * weights 3:1 picks rs1 three times for each rs2.
   */
  expect: Record<string, number>;
}

export const HTTP_CASES: readonly HttpCase[] = [
  { mode: 'nat', scheduler: 'rr', weights: [1, 1], requests: 20, expect: { rs1: 10, rs2: 10 } },
  { mode: 'dr', scheduler: 'wrr', weights: [3, 1], requests: 20, expect: { rs1: 15, rs2: 5 } },
  { mode: 'tun', scheduler: 'rr', weights: [1, 1], requests: 20, expect: { rs1: 10, rs2: 10 } },
];

export interface HttpData {
  case: HttpCase;
  tally: ClientTally;
  /** `ipvsadm -Ln --stats` in the director after the traffic. */
  stats: string;
  /** `ipvsadm -Lnc` in the director after the traffic. */
  connections: string;
}

const FORWARD_FLAG: Record<LvsMode, string> = { nat: '-m', dr: '-g', tun: '-i' };
const CLIENT_BUDGET_MS = 15_000;
const STATS_SETTLE_MS = 6_000;

export const httpScenarioName = (mode: LvsMode): string => `http-${mode}`;

/**
 * Conns, InPkts and OutPkts of each `ipvsadm -Ln --stats` row, keyed by its address (service or server).
 * Plain numbers only: rows whose counters ipvsadm abbreviates (12K, 3M; no --exact) are left out.
 */
export function statsRows(stats: string): Map<string, { conns: number; inPkts: number; outPkts: number }> {
  const rows = new Map<string, { conns: number; inPkts: number; outPkts: number }>();
  for (const m of stats.matchAll(/^(?:TCP|UDP|SCTP|FWM|  ->) +(\S+) +(\d+) +(\d+) +(\d+) /gm)) {
    rows.set(m[1], { conns: Number(m[2]), inPkts: Number(m[3]), outPkts: Number(m[4]) });
  }
  return rows;
}

/**
 * The kernel folds its per-CPU counters into what `--stats` reports only when the rate estimator runs
 * (estimation_timer() in net/netfilter/ipvs/ip_vs_est.c, every 2 s in 6.1), so right after the traffic
 * the listing can still say 0. Polls until the service shows `conns` connections, for a few periods at most.
 */
async function settledStats(list: () => string, conns: number): Promise<string> {
  const until = Date.now() + STATS_SETTLE_MS;
  let stats = list();
  while (statsRows(stats).get(`${VIP}:80`)?.conns !== conns && Date.now() < until) {
    await sleep(250);
    stats = list();
  }
  return stats;
}

function checkHttp(t: Asserts, d: HttpData): void {
  const c = d.case;
  t.equal(d.tally.failures, 0, `no failed requests (${d.tally.errors.join('; ') || 'none'})`);
  t.same(d.tally.answers, c.expect, `${c.scheduler} over weights ${c.weights.join(':')} splits ${c.requests} connections exactly`);
  const rows = statsRows(d.stats);
  const vip = rows.get(`${VIP}:80`);
  t.equal(vip?.conns, c.requests, `the service counted ${c.requests} connections`);
  // Only NAT sends replies back through the director; DR and TUN servers answer the client directly.
  if (c.mode === 'nat') t.ok((vip?.outPkts ?? 0) > 0, 'NAT: replies pass the director');
  else t.equal(vip?.outPkts, 0, `${c.mode.toUpperCase()}: no reply passes the director`);
}

function httpScenario(c: HttpCase): Scenario<HttpData> {
  return {
    name: httpScenarioName(c.mode),
    budgetMs: 30_000,
    async run(ctx): Promise<HttpData> {
      const lab = scenarioLab(ctx, c.mode);
      const topo = buildLvsLab(lab, c.mode);
      await Promise.all(topo.servers.map((s) => startProgram(lab, s.ns, 'http-server', [s.name])));
      const ipvsadm = (args: string[]): string => lab.exec(topo.director, 'ipvsadm', args);
      ipvsadm(['-A', '-t', `${VIP}:80`, '-s', c.scheduler]);
      topo.servers.forEach((s, i) => {
        ipvsadm(['-a', '-t', `${VIP}:80`, '-r', `${s.addr}:80`, FORWARD_FLAG[c.mode], '-w', String(c.weights[i])]);
      });
      ctx.log(ipvsadm(['-Ln']).trimEnd());
      const budget = Math.min(CLIENT_BUDGET_MS, ctx.deadline - Date.now() - 5_000);
      const out = await runProgram(topo.client, 'http-client', [`http://${VIP}/`, String(c.requests), String(budget)], budget + 5_000);
      const tally = JSON.parse(out) as ClientTally;
      ctx.log(`answers ${JSON.stringify(tally.answers)}, ${tally.failures} failures in ${tally.elapsedMs} ms`);
      const stats = await settledStats(() => ipvsadm(['-Ln', '--stats']), tally.requests - tally.failures);
      return { case: c, tally, stats, connections: ipvsadm(['-Lnc']) };
    },
    check: checkHttp,
  };
}

export const httpScenarios: readonly Scenario<HttpData>[] = HTTP_CASES.map(httpScenario);
