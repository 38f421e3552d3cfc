import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lab } from '../netns.js';
import { healthDiffConf, HTTP_PORT, PHASE_MS, PHASES, TCP_PORT, type Phase } from './health-diff-conf.js';
import { checkHealthDiff, type DaemonRun, type FifoLine, type HealthDiffData } from './health-diff-check.js';
import { scenarioLab, startProgram } from './lab.js';
import { LvsdProcess } from './lvsd-process.js';
import { writeDurable, type Scenario, type ScenarioContext } from './scenario.js';

/**
 * Issue 12's differential test: keepalived's checker process and lvsd run the same keepalived.conf (TCP_CHECK,
 * HTTP_GET, MISC_CHECK, a two-checker real server, a quorum service) against the same real servers through the
 * same scripted failures, and must write the same UP/DOWN lines to lvs_notify_fifo, each in the same phase, and
 * leave the same IPVS table at the end of every phase.
 *
 * One after the other, both on kernel IPVS, in one namespace: keepalived's checker cannot start without IPVS, and
 * two programs reconciling one IPVS table at once would undo each other's removals. Running lvsd on kernel IPVS
 * too (not the proxy plane) is what lets the tables be compared phase by phase.
 */

const START_MS = 20_000;
const STOP_MS = 10_000;

interface Run {
  lab: Lab;
  ns: string;
  dir: string;
  conf: string;
  fifo: string;
  state: string;
}

function setPhase(state: string, p: Phase): void {
  const up = (name: string, on: boolean): void => {
    if (on) writeFileSync(path.join(state, name), '');
    else rmSync(path.join(state, name), { force: true });
  };
  up('tcp-up', p.tcp);
  up('misc-up', p.misc);
  writeFileSync(path.join(state, 'http-status'), `${p.http}\n`);
}

const ipvsSave = (r: Run): string => r.lab.exec(r.ns, 'ipvsadm', ['-Sn']);

/** Reads the FIFO with cat, so the reader is open before either daemon opens it to write; lines get the phase. */
function readFifo(fifo: string, phase: () => number): { lines: FifoLine[]; child: ChildProcess } {
  rmSync(fifo, { force: true });
  execFileSync('mkfifo', [fifo]);
  const child = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines: FifoLine[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) if (line) lines.push({ phase: phase(), line });
  });
  return { lines, child };
}

/** Waits until the daemon has programmed both services with every real server (4 + 2 destinations). */
async function tableReady(r: Run, exited: () => string | null): Promise<void> {
  const until = Date.now() + START_MS;
  for (;;) {
    const save = ipvsSave(r);
    if ((save.match(/^-a /gm) ?? []).length === 6) return;
    const gone = exited();
    if (gone) throw new Error(gone);
    if (Date.now() > until) throw new Error(`the table was not programmed in ${START_MS} ms:\n${save}`);
    await sleep(100);
  }
}

interface Daemon {
  exited(): string | null;
  stop(): Promise<void>;
}

function startKeepalived(r: Run, ctx: ScenarioContext): Daemon {
  const pids = path.join(r.dir, 'keepalived');
  mkdirSync(pids, { recursive: true });
  // -C: the checker process only (no VRRP); -n -l -D: foreground, log to the console, in detail.
  const child = r.lab.spawn(r.ns, 'keepalived', ['-n', '-l', '-D', '-C', '-f', r.conf, '-p', path.join(pids, 'keepalived.pid'), '-c', path.join(pids, 'checkers.pid')]);
  let log = '';
  let code: number | null = null;
  const collect = (d: Buffer): void => { if (log.length < 1 << 20) log += d.toString(); };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const done = new Promise<void>((resolve) => child.on('exit', (c, sig) => { code = c ?? (sig ? 128 : -1); resolve(); }));
  ctx.defer(() => writeDurable(path.join(ctx.dir, 'keepalived.log'), log));
  return {
    exited: () => (code === null ? null : `keepalived exited (${code}): ${log.slice(-2000)}`),
    async stop() {
      if (code === null) child.kill('SIGTERM');
      await Promise.race([done, sleep(STOP_MS).then(() => { throw new Error(`keepalived still running ${STOP_MS} ms after SIGTERM`); })]);
    },
  };
}

function startLvsd(r: Run, ctx: ScenarioContext): Daemon {
  const p = LvsdProcess.start(r.lab, r.ns, ['-f', r.conf, '--dataplane', 'ipvs', '--control', path.join(r.dir, 'lvsd.sock')]);
  ctx.defer(() => writeDurable(path.join(ctx.dir, 'lvsd.log'), p.text()));
  return {
    exited: () => (p.exitCode === null ? null : `lvsd exited (${p.exitCode}): ${p.other.slice(-2000)}`),
    async stop() { await p.stop(STOP_MS); },
  };
}

/** One daemon through every phase: the FIFO's lines with the phase each arrived in, and the table after each. */
async function runDaemon(r: Run, ctx: ScenarioContext, which: DaemonRun['daemon']): Promise<DaemonRun> {
  let phase = 0;
  setPhase(r.state, PHASES[0]!);
  const fifo = readFifo(r.fifo, () => phase);
  ctx.defer(() => { if (fifo.child.exitCode === null) fifo.child.kill('SIGKILL'); });
  const d = which === 'keepalived' ? startKeepalived(r, ctx) : startLvsd(r, ctx);
  await tableReady(r, () => d.exited());
  const tables: string[] = [];
  for (; phase < PHASES.length; phase++) {
    setPhase(r.state, PHASES[phase]!);
    ctx.log(`${which}: phase ${phase}, ${PHASES[phase]!.name}`);
    await sleep(PHASE_MS);
    tables.push(ipvsSave(r));
  }
  phase = PHASES.length;
  await d.stop();
  // The writer is gone: cat sees the end of the FIFO. A moment for its last bytes, then it is not needed.
  await Promise.race([new Promise((resolve) => fifo.child.once('close', resolve)), sleep(2000)]);
  fifo.child.kill('SIGKILL');
  writeDurable(path.join(ctx.dir, `${which}.fifo`), fifo.lines.map((l) => `${l.phase} ${l.line}\n`).join(''));
  return { daemon: which, fifo: fifo.lines, tables };
}

export const healthDiffScenario: Scenario<HealthDiffData> = {
  name: 'health-diff',
  budgetMs: 80_000,
  async run(ctx): Promise<HealthDiffData> {
    const lab = scenarioLab(ctx, 'hd');
    const ns = lab.host('dir');
    // The FIFO, pid files and server state live outside the results tree, which the host reads back whole.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-hdiff-'));
    ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
    const state = path.join(dir, 'state');
    mkdirSync(state, { recursive: true });
    const r: Run = { lab, ns, dir, conf: path.join(ctx.dir, 'keepalived.conf'), fifo: path.join(dir, 'lvs.fifo'), state };
    writeDurable(r.conf, healthDiffConf(r.fifo, path.join(state, 'misc-up')));
    setPhase(state, PHASES[0]!);
    await startProgram(lab, ns, 'health-diff-servers', [state, String(TCP_PORT), String(HTTP_PORT)]);
    const keepalived = await runDaemon(r, ctx, 'keepalived');
    const lvsd = await runDaemon(r, ctx, 'lvsd');
    return { phases: PHASES.map((p) => p.name), keepalived, lvsd };
  },
  check: checkHealthDiff,
};
