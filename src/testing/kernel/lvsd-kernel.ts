import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectedSave, keepalivedConf, type ConfGlobals, type ConfService } from '../keepalived-conf.js';
import type { ClientTally } from './http-client.js';
import { HTTP_CASES, type HttpCase } from './http-modes.js';
import { runProgram, scenarioLab, startProgram } from './lab.js';
import { LvsdProcess, type LogLine } from './lvsd-process.js';
import { buildLvsLab, VIP, type LvsLab, type LvsMode } from './lvs-topology.js';
import { checkLvsd, type LvsdKernelData, type ModeRun, type RestartRun } from './lvsd-kernel-check.js';
import { writeDurable, type Scenario, type ScenarioContext } from './scenario.js';
import type { Lab } from '../netns.js';

/**
 * lvsd itself programming kernel IPVS: for each forwarding method the lab of lvs-topology.ts, a
 * keepalived.conf with the table http-modes.ts programs with ipvsadm, and `lvsd -f … --dataplane ipvs`
 * in the director namespace. Real HTTP must split exactly as it does there. In the NAT lab lvsd also
 * repairs a real server deleted by hand, survives a restart under load without the table ever changing
 * (the second start adopts it: 0 changes), and applies lvs_timeouts and lvs_sync_daemon.
 */

const KIND: Record<LvsMode, ConfService['kind']> = { nat: 'NAT', dr: 'DR', tun: 'TUN' };
/** Short, so drift is repaired within a second and the scenario stays quick. */
const RECONCILE_INTERVAL_S = 0.5;
const START_MS = 20_000;
const STOP_MS = 10_000;
/** The restart's client: bounded in count and time, and long enough to span a stop and a start of node in UML. */
const RESTART_REQUESTS = 5_000;
// Long enough for a stop and a fresh start of lvsd in the guest, where every system call is a ptrace round
// trip (a start reads the config reader's modules in a worker): ~18 s was seen on a loaded host.
const RESTART_CLIENT_MS = 30_000;
const GLOBALS: ConfGlobals = { timeouts: { tcp: 901, tcpfin: 121, udp: 301 }, syncDaemon: { ifname: 'lan0', id: 7 } };

export function lvsdService(c: HttpCase, topo: Pick<LvsLab, 'servers'>): ConfService {
  return {
    addr: VIP, port: 80, scheduler: c.scheduler, kind: KIND[c.mode],
    servers: topo.servers.map((s, i) => ({ addr: s.addr, port: 80, weight: c.weights[i] ?? 1 })),
  };
}

interface Director {
  lab: Lab;
  ns: string;
  args: string[];
  save(): string;
  ipvsadm(args: string[]): string;
}

function startLvsd(d: Director, ctx: ScenarioContext, logName: string): LvsdProcess {
  const p = LvsdProcess.start(d.lab, d.ns, d.args);
  // Written even when the scenario fails or times out: the log says why.
  ctx.defer(() => writeDurable(path.join(ctx.dir, logName), p.text()));
  return p;
}

async function client(topo: LvsLab, requests: number, budgetMs: number): Promise<ClientTally> {
  const out = await runProgram(topo.client, 'http-client', [`http://${VIP}/`, String(requests), String(budgetMs)], budgetMs + 5_000);
  return JSON.parse(out) as ClientTally;
}

/** ipvsadm -d by hand, then waits for lvsd's read-back to put the real server back. */
async function drift(d: Director, lvsd: LvsdProcess, rs: string): Promise<ModeRun['drift']> {
  const from = lvsd.lines.length;
  // The delete's own status is the evidence that it removed a real server (the kernel refuses one that is not
  // there): a listing taken after it may already show lvsd's repair, the read-back runs every half second.
  const r = spawnSync('ip', ['netns', 'exec', d.ns, 'ipvsadm', '-d', '-t', `${VIP}:80`, '-r', `${rs}:80`], { encoding: 'utf8', timeout: 15_000 });
  const afterDelete = { status: r.status, stderr: r.stderr ?? '' };
  const started = Date.now();
  const line = await lvsd.waitFor('table reconciled', 10 * RECONCILE_INTERVAL_S * 1000, from);
  return { afterDelete, repairedMs: Date.now() - started, change: String(line.change), afterRepair: d.save() };
}

/**
 * SIGTERM and a fresh start while a client loops: samples `ipvsadm -Sn` throughout, so a table that was
 * flushed or changed for even one sample shows as a second distinct listing.
 */
async function restart(d: Director, ctx: ScenarioContext, first: LvsdProcess, topo: LvsLab): Promise<{ run: RestartRun; second: LvsdProcess }> {
  const listings = new Set<string>([d.save()]);
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      listings.add(d.save());
      await sleep(50);
    }
  })();
  const clientStarted = Date.now();
  const tallyP = client(topo, RESTART_REQUESTS, RESTART_CLIENT_MS);
  // Awaited below; until then a failed client must not be an unhandled rejection that ends the whole guest run.
  tallyP.catch(() => undefined);
  await sleep(500);
  const stopAt = Date.now();
  const exitCode = await first.stop(STOP_MS);
  const stoppedSave = d.save();
  const second = startLvsd(d, ctx, 'lvsd-nat-2.log');
  const applied = await second.waitFor('configuration applied', START_MS);
  const restartedAt = Date.now();
  const tally = await tallyP;
  sampling = false;
  await sampler;
  return {
    second,
    run: {
      tally, exitCode, stoppedSave, listings: [...listings], applied: Number(applied.applied), failed: Number(applied.failed),
      stopMs: stopAt - clientStarted, restartedMs: restartedAt - clientStarted, clientEndMs: tally.elapsedMs,
      secondReconciled: second.messages('table reconciled').length,
      flushedOnStop: first.messages('table flushed on stop').length > 0,
    },
  };
}

async function runMode(ctx: ScenarioContext, c: HttpCase): Promise<ModeRun> {
  const lab = scenarioLab(ctx, `lk${c.mode}`);
  const topo = buildLvsLab(lab, c.mode);
  await Promise.all(topo.servers.map((s) => startProgram(lab, s.ns, 'http-server', [s.name])));
  const service = lvsdService(c, topo);
  const conf = path.join(ctx.dir, `${c.mode}.conf`);
  writeDurable(conf, keepalivedConf([service], c.mode === 'nat' ? GLOBALS : {}));
  const ipvsadm = (args: string[]): string => lab.exec(topo.director, 'ipvsadm', args);
  const d: Director = {
    lab, ns: topo.director, ipvsadm, save: () => ipvsadm(['-Sn']),
    args: ['-f', conf, '--dataplane', 'ipvs', '--control', `/run/lvsd-${c.mode}.sock`, '--reconcile-interval', String(RECONCILE_INTERVAL_S), '--metrics', 'off'],
  };
  const lvsd = startLvsd(d, ctx, `lvsd-${c.mode}.log`);
  const applied = await lvsd.waitFor('configuration applied', START_MS);
  const save = d.save();
  ctx.log(`lvsd applied ${String(applied.applied)} changes:\n${save.trimEnd()}`);
  const tally = await client(topo, c.requests, Math.min(15_000, ctx.deadline - Date.now() - 5_000));
  ctx.log(`answers ${JSON.stringify(tally.answers)}, ${tally.failures} failures in ${tally.elapsedMs} ms`);
  const run: ModeRun = { case: c, expectedSave: expectedSave([service]), save, applied: Number(applied.applied), tally };
  if (c.mode !== 'nat') {
    await lvsd.stop(STOP_MS);
    return run;
  }
  run.drift = await drift(d, lvsd, topo.servers[0]!.addr);
  const r = await restart(d, ctx, lvsd, topo);
  run.restart = r.run;
  run.timeouts = ipvsadm(['-L', '--timeout']);
  run.daemons = ipvsadm(['-L', '--daemon']);
  run.refused = [...lvsd.lines, ...r.second.lines].filter((l: LogLine) => l.level === 'error').map((l) => JSON.stringify(l));
  await r.second.stop(STOP_MS);
  run.afterStop = d.save();
  return run;
}

export const lvsdKernelScenario: Scenario<LvsdKernelData> = {
  name: 'lvsd-kernel',
  budgetMs: 200_000,
  async run(ctx): Promise<LvsdKernelData> {
    const modes: ModeRun[] = [];
    for (const c of HTTP_CASES) modes.push(await runMode(ctx, c));
    return { modes, ipvsadmVersion: execFileSync('ipvsadm', ['--version'], { encoding: 'utf8' }).trim() };
  },
  check: checkLvsd,
};
