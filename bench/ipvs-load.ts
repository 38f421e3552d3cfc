/**
 * Loading and listing a large kernel IPVS table: lvsd beside ipvsadm, in one user-mode Linux boot, on the
 * same 10,000 services × 10 real servers (110,000 objects).
 *
 *   programming: `lvsd -f keepalived.conf --dataplane ipvs` from process start to its "configuration
 *                applied" line (parse, read back the empty table, plan, pipelined applyBatch) versus
 *                `ipvsadm -R` of the same rules (parse, one request and ack at a time); flushed between.
 *   listing:     `lvsadm --kernel -Sn` versus `ipvsadm -Sn`, and `-Ln` versus `-Ln`, of the same table, outputs
 *                compared. ipvsadm dumps each service's real servers (a GET_DEST per service); lvsadm reads
 *                them all from /proc/net/ip_vs beside one GET_SERVICE dump.
 *
 * Both sides are whole processes, start-up included; node's bare start-up in the guest is printed beside
 * them so the reader can see how much of lvsd's figure it is.
 *
 *   npm run build && node dist/bench/ipvs-load.js [--services=10000] [--reals=10] [--rounds=2]
 *
 * Without user-mode Linux (or IPVS modules for it) it prints why and exits 0.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedSave, keepalivedConf, type ConfService } from '../src/testing/keepalived-conf.js';
import { GUEST_NODE_FLAGS } from '../src/testing/kernel/guest-env.js';
import { LvsdProcess } from '../src/testing/kernel/lvsd-process.js';
import { Lab } from '../src/testing/netns.js';
import { repoRoot } from '../src/testing/repo.js';
import { bootUml, canRunUml, UmlError } from '../src/testing/uml.js';

/** Bounds: each guest step, and the whole boot (every round's loads and listings plus boot). */
const STEP_MS = 240_000;
const BOOT_MS = 1_500_000;
const RESULT = 'ipvs-load.json';

/** One round: both loads and all listings, back to back, so its ratios compare like with like. */
interface Round {
  nodeStartMs: number;
  ipvsadmLoadMs: number;
  ipvsadmSaveMs: number;
  lvsdLoadMs: number;
  lvsdApplied: number;
  lvsdFailed: number;
  lvsadmSaveMs: number;
  ipvsadmListMs: number;
  lvsadmListMs: number;
  sameList: boolean;
  /** Lines of `ipvsadm -Sn` after each load, and whether lvsadm's listing is byte-identical to ipvsadm's. */
  ipvsadmLines: number;
  lvsdTableLines: number;
  sameListing: boolean;
  sameTable: boolean;
}

interface Figures {
  services: number;
  reals: number;
  objects: number;
  rounds: Round[];
}

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
}

/** Service i at 198.18.(i / 256).(i % 256):80 over reals 198.19.0.1… (lab-only RFC 2544 space), NAT, wlc. */
function rules(services: number, reals: number): ConfService[] {
  return Array.from({ length: services }, (_, i) => ({
    addr: `198.18.${i >> 8}.${i & 255}`, port: 80, scheduler: 'wlc', kind: 'NAT' as const,
    servers: Array.from({ length: reals }, (_, j) => ({ addr: `198.19.${j >> 8}.${(j & 255) + 1}`, port: 8080, weight: 1 })),
  }));
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

const lineCount = (s: string): number => s.split('\n').filter(Boolean).length;

const inNsOf = (ns: string) => (cmd: string, args: string[], input?: string): string =>
  execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: STEP_MS, ...(input !== undefined ? { input } : {}) });

/**
 * Each loader gets a network namespace (so an IPVS instance) of its own: a flushed table leaves its real
 * servers in the kernel's dest trash for a minute (ip_vs_ctl.c), and every later add_dest scans that whole
 * list (ip_vs_trash_get_dest), which would bill the second loader for the first one's 110,000 objects.
 */
async function round(lab: Lab, n: number): Promise<Round> {
  const ns = lab.host(`lvsd${n}`);
  const inNs = inNsOf(lab.host(`ipvsadm${n}`));
  const nodeStart = timed(() => inNs(process.execPath, [...GUEST_NODE_FLAGS, '-e', '0']));

  const ipvsadmLoad = timed(() => inNs('ipvsadm', ['-R'], readFileSync('/run/ipvs-load.rules', 'utf8')));
  const ipvsadmSave = timed(() => inNs('ipvsadm', ['-Sn']));
  inNs('ipvsadm', ['-C']);
  const inLvsdNs = inNsOf(ns);

  const t0 = performance.now();
  const lvsd = LvsdProcess.start(lab, ns, ['-f', '/run/ipvs-load.conf', '--dataplane', 'ipvs', '--control', `/run/lvsd-bench${n}.sock`,
    '--reconcile-interval', '86400', '--log-level', 'info']);
  const applied = await lvsd.waitFor('configuration applied', STEP_MS);
  const lvsdLoadMs = performance.now() - t0;
  const lvsadm = path.join(repoRoot(), 'dist/src/cli/lvsadm.js');
  const lvsadmSave = timed(() => inLvsdNs(process.execPath, [...GUEST_NODE_FLAGS, lvsadm, '--kernel', '-Sn']));
  const lvsdTable = inLvsdNs('ipvsadm', ['-Sn']);
  const ipvsadmList = timed(() => inLvsdNs('ipvsadm', ['-Ln']));
  const lvsadmList = timed(() => inLvsdNs(process.execPath, [...GUEST_NODE_FLAGS, lvsadm, '--kernel', '-Ln']));
  await lvsd.stop(30_000);
  inLvsdNs('ipvsadm', ['-C']);
  return {
    nodeStartMs: nodeStart.ms, ipvsadmLoadMs: ipvsadmLoad.ms, ipvsadmSaveMs: ipvsadmSave.ms,
    lvsdLoadMs, lvsdApplied: Number(applied.applied), lvsdFailed: Number(applied.failed), lvsadmSaveMs: lvsadmSave.ms,
    ipvsadmListMs: ipvsadmList.ms, lvsadmListMs: lvsadmList.ms, sameList: ipvsadmList.value === lvsadmList.value,
    ipvsadmLines: lineCount(ipvsadmSave.value), lvsdTableLines: lineCount(lvsdTable),
    sameListing: lvsadmSave.value === lvsdTable, sameTable: lvsdTable === ipvsadmSave.value,
  };
}

/** Guest side: every round in namespaces of its own; writes the figures to RESULTS/ipvs-load.json. */
async function guest(results: string): Promise<void> {
  const services = option('services', 10_000);
  const reals = option('reals', 10);
  const rounds = option('rounds', 2);
  const list = rules(services, reals);
  // /run is the guest's tmpfs: neither side pays hostfs reads for its input. `ipvsadm -Sn` text is -R input.
  writeFileSync('/run/ipvs-load.rules', expectedSave(list));
  writeFileSync('/run/ipvs-load.conf', keepalivedConf(list));
  const lab = new Lab('bench');
  try {
    const figures: Figures = { services, reals, objects: services * (reals + 1), rounds: [] };
    for (let n = 1; n <= rounds; n++) figures.rounds.push(await round(lab, n));
    writeFileSync(path.join(results, RESULT), JSON.stringify(figures));
  } finally {
    lab.teardown();
  }
}

function report(f: Figures): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
  const lines = [`${f.services} services × ${f.reals} real servers = ${f.objects} objects, kernel IPVS in user-mode Linux`];
  f.rounds.forEach((r, i) => lines.push(
    `round ${i + 1}`,
    `program  lvsd -f (pipelined applyBatch) ${s(r.lvsdLoadMs)} (${r.lvsdApplied} applied, ${r.lvsdFailed} refused)`,
    `         ipvsadm -R                       ${s(r.ipvsadmLoadMs)}    lvsd is ${ratio(r.ipvsadmLoadMs, r.lvsdLoadMs)} faster (target ≥ 10×)`,
    `list     lvsadm --kernel -Sn             ${s(r.lvsadmSaveMs)}`,
    `         ipvsadm -Sn                      ${s(r.ipvsadmSaveMs)}    lvsadm is ${ratio(r.ipvsadmSaveMs, r.lvsadmSaveMs)} faster (target ≥ 10×)`,
    `         lvsadm --kernel -Ln             ${s(r.lvsadmListMs)}`,
    `         ipvsadm -Ln                      ${s(r.ipvsadmListMs)}    lvsadm is ${ratio(r.ipvsadmListMs, r.lvsadmListMs)} faster; listings identical: ${r.sameList}`,
    `node start-up alone in the guest ${s(r.nodeStartMs)} (inside both lvsd figures)`,
    `checks   ipvsadm -Sn lines ${r.ipvsadmLines} (ipvsadm load), ${r.lvsdTableLines} (lvsd load); same table: ${r.sameTable}; lvsadm listing identical to ipvsadm's: ${r.sameListing}`,
  ));
  // The guest's speed swings several-fold with the host's load (every page fault and system call is a round
  // trip through the UML kernel's tracer), so the spread of the ratios says more than one of them.
  const spread = (of: (r: Round) => number): string => {
    const all = f.rounds.map(of);
    return `${Math.min(...all).toFixed(1)}–${Math.max(...all).toFixed(1)}×`;
  };
  lines.push(`ratios over ${f.rounds.length} rounds: program ${spread((r) => r.ipvsadmLoadMs / r.lvsdLoadMs)}, ` +
    `-Sn ${spread((r) => r.ipvsadmSaveMs / r.lvsadmSaveMs)}, -Ln ${spread((r) => r.ipvsadmListMs / r.lvsadmListMs)} (target ≥ 10×)`);
  return lines.join('\n');
}

async function host(): Promise<number> {
  const unavailable = canRunUml();
  if (unavailable) {
    process.stdout.write(`ipvs-load skipped: ${unavailable}\n`);
    return 0;
  }
  const self = fileURLToPath(import.meta.url);
  const extra = process.argv.slice(2).filter((a) => /^--(services|reals|rounds)=/.test(a));
  try {
    const run = await bootUml({
      script: `exec node ${GUEST_NODE_FLAGS.join(' ')} '${self}' --guest "$LVSD_UML_RESULTS" ${extra.join(' ')}\n`,
      timeoutMs: BOOT_MS,
      memMb: 2048,
    });
    const text = run.files.get(RESULT);
    if (text === undefined) {
      process.stdout.write(`ipvs-load: the guest wrote no figures${run.timedOut ? ' (timed out)' : ''}; console tail:\n${run.console.split('\n').slice(-20).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`${report(JSON.parse(text) as Figures)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UmlError && e.environmental) {
      process.stdout.write(`ipvs-load skipped: ${e.message}\n`);
      return 0;
    }
    throw e;
  }
}

const guestAt = process.argv.indexOf('--guest');
const main = guestAt >= 0 ? guest(process.argv[guestAt + 1] ?? '/tmp').then(() => 0) : host();
// Exit explicitly: the guest side may still hold lvsd's pipes.
main.then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`ipvs-load: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
