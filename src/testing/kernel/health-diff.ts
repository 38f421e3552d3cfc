import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lab } from '../netns.js';
import { healthDiffConf, HTTP_PORT, PHASE_MS, PHASES, RS_ADDR, TCP_PORT, type Phase } from './health-diff-conf.js';
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
 * Both at once, both on kernel IPVS, each in a director namespace of its own (so each has its own IPVS table:
 * keepalived's checker cannot start without IPVS, and two programs reconciling one table would undo each other's
 * removals), on one Ethernet segment with the real servers' namespace, so both check the very same server
 * processes at the same moments. Running lvsd on kernel IPVS too (not the proxy plane) lets the tables be
 * compared phase by phase; running both at once halves the wall time. The two configuration files differ only in
 * the lvs_notify_fifo path.
 */

// Node and keepalived start slowly in a guest on a loaded host (lvsd took over 30 s to log its first line once).
const START_MS = 60_000;
const STOP_MS = 10_000;

interface Side {
  readonly which: DaemonRun['daemon'];
  readonly lab: Lab;
  readonly ns: string;
  readonly conf: string;
  readonly fifo: string;
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

const ipvsSave = (s: Side): string => s.lab.exec(s.ns, 'ipvsadm', ['-Sn']);

/** Reads the FIFO with cat, so the reader is open before the daemon opens it to write; lines get the phase. */
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
async function tableReady(s: Side, exited: () => string | null): Promise<void> {
  const until = Date.now() + START_MS;
  for (;;) {
    const save = ipvsSave(s);
    if ((save.match(/^-a /gm) ?? []).length === 6) return;
    const gone = exited();
    if (gone) throw new Error(gone);
    if (Date.now() > until) throw new Error(`${s.which} did not program the table in ${START_MS} ms:\n${save}`);
    await sleep(100);
  }
}

interface Daemon {
  exited(): string | null;
  stop(): Promise<void>;
}

function startKeepalived(s: Side, ctx: ScenarioContext, dir: string): Daemon {
  // -C: the checker process only (no VRRP); -n -l -D: foreground, log to the console, in detail; pid files of its own.
  const child = s.lab.spawn(s.ns, 'keepalived', ['-n', '-l', '-D', '-C', '-f', s.conf, '-p', path.join(dir, 'keepalived.pid'), '-c', path.join(dir, 'checkers.pid')]);
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

function startLvsd(s: Side, ctx: ScenarioContext, dir: string): Daemon {
  const p = LvsdProcess.start(s.lab, s.ns, ['-f', s.conf, '--dataplane', 'ipvs', '--control', path.join(dir, 'lvsd.sock')]);
  ctx.defer(() => writeDurable(path.join(ctx.dir, 'lvsd.log'), p.text()));
  return {
    exited: () => (p.exitCode === null ? null : `lvsd exited (${p.exitCode}): ${p.other.slice(-2000)}`),
    async stop() { await p.stop(STOP_MS); },
  };
}

/** A daemon started with its FIFO reader; `finish` stops it and returns what it wrote. */
function start(s: Side, ctx: ScenarioContext, dir: string, phase: () => number): { ready: Promise<void>; snapshot(): void; finish(): Promise<DaemonRun> } {
  const fifo = readFifo(s.fifo, phase);
  ctx.defer(() => { if (fifo.child.exitCode === null) fifo.child.kill('SIGKILL'); });
  const d = s.which === 'keepalived' ? startKeepalived(s, ctx, dir) : startLvsd(s, ctx, dir);
  const tables: string[] = [];
  return {
    ready: tableReady(s, () => d.exited()),
    snapshot: () => { tables.push(ipvsSave(s)); },
    async finish() {
      await d.stop();
      // The writer is gone: cat sees the end of the FIFO. A moment for its last bytes, then it is not needed.
      await Promise.race([new Promise((resolve) => fifo.child.once('close', resolve)), sleep(2000)]);
      fifo.child.kill('SIGKILL');
      writeDurable(path.join(ctx.dir, `${s.which}.fifo`), fifo.lines.map((l) => `${l.phase} ${l.line}\n`).join(''));
      return { daemon: s.which, fifo: fifo.lines, tables };
    },
  };
}

export const healthDiffScenario: Scenario<HealthDiffData> = {
  name: 'health-diff',
  budgetMs: 160_000,
  async run(ctx): Promise<HealthDiffData> {
    const lab = scenarioLab(ctx, 'hd');
    const rs = lab.host('rs');
    const nsK = lab.host('ka');
    const nsL = lab.host('lv');
    lab.bridge([{ ns: rs, addr: `${RS_ADDR}/24` }, { ns: nsK, addr: '10.97.0.1/24' }, { ns: nsL, addr: '10.97.0.2/24' }]);
    // The FIFOs, pid files and server state live outside the results tree, which the host reads back whole.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-hdiff-'));
    ctx.defer(() => rmSync(dir, { recursive: true, force: true }));
    const state = path.join(dir, 'state');
    mkdirSync(state, { recursive: true });
    setPhase(state, PHASES[0]!);
    const side = (which: DaemonRun['daemon'], ns: string): Side => {
      const s: Side = { which, lab, ns, conf: path.join(ctx.dir, `${which}.conf`), fifo: path.join(dir, `${which}.fifo`) };
      writeDurable(s.conf, healthDiffConf(RS_ADDR, s.fifo, path.join(state, 'misc-up')));
      return s;
    };
    await startProgram(lab, rs, 'health-diff-servers', [state, RS_ADDR, String(TCP_PORT), String(HTTP_PORT)]);
    let phase = 0;
    const daemons = [start(side('keepalived', nsK), ctx, dir, () => phase), start(side('lvsd', nsL), ctx, dir, () => phase)];
    await Promise.all(daemons.map((d) => d.ready));
    for (; phase < PHASES.length; phase++) {
      setPhase(state, PHASES[phase]!);
      ctx.log(`phase ${phase}: ${PHASES[phase]!.name}`);
      await sleep(PHASE_MS);
      for (const d of daemons) d.snapshot();
    }
    const [keepalived, lvsd] = await Promise.all(daemons.map((d) => d.finish()));
    return { phases: PHASES.map((p) => p.name), keepalived: keepalived!, lvsd: lvsd! };
  },
  check: checkHealthDiff,
};
