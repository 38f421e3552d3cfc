import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOOT_DIR, DEFAULT_GUEST_MODULES, initScript, READY_MARKER } from './uml-init.js';
import { repoRoot } from './repo.js';

/**
 * Boots Debian's user-mode Linux (a real 6.1 kernel with IPVS, run as an ordinary process) with the host's
 * / as its root, runs one shell script as root inside it, and returns what the guest wrote. The kernel
 * tier boots once per run and does all its work in that one boot.
 */

/** Debian's UML kernel; LVSD_UML_KERNEL points elsewhere (another build, or a stand-in to test the skips). */
export const umlKernel = (): string => process.env.LVSD_UML_KERNEL ?? '/usr/bin/linux.uml';
const UML_MODULES = '/usr/lib/uml/modules';
const LAUNCHER_SOURCE = 'test/kernel/uml-launch.c';
/** Work directories are named for the process that owns them: `lvsd-uml-PID-XXXXXX`. */
const WORK_PREFIX = 'lvsd-uml-';
/** Console kept for diagnostics; a runaway guest must not fill the test's memory. */
const CONSOLE_LIMIT = 4 << 20;

export type UmlErrorCode =
  | 'LVSD_E_UML_UNAVAILABLE' // something the tier needs is not installed here
  | 'LVSD_E_UML_LAUNCHER' // the seccomp launcher did not compile: a bug in it or in the toolchain named
  | 'LVSD_E_UML_BOOT' // the kernel never started init (ptrace, memory, a hang): the guest never became ready
  | 'LVSD_E_UML_INIT'; // the kernel started init but the prelude failed: a bug here, not the host

export class UmlError extends Error {
  constructor(
    readonly code: UmlErrorCode,
    message: string,
    readonly consoleTail = '',
  ) {
    super(message);
    this.name = 'UmlError';
  }

  /**
   * True only when something the tier needs is not installed, so tests skip (saying what is missing) rather
   * than fail. A launcher that does not compile, or a guest that never becomes ready, with everything
   * installed is a failure: skipping it would let a broken tier pass silently.
   */
  get environmental(): boolean {
    return this.code === 'LVSD_E_UML_UNAVAILABLE';
  }
}

export interface UmlOptions {
  /** Shell script run by sh as root inside the guest; $LVSD_UML_RESULTS is the directory to write into. */
  script: string;
  /** Bound on the whole boot; the guest is killed when it passes. */
  timeoutMs?: number;
  memMb?: number;
  /** Modules to load besides IPVS's own and DEFAULT_GUEST_MODULES. */
  modules?: readonly string[];
  /** Extra environment exported to the script. */
  env?: Readonly<Record<string, string>>;
}

export interface UmlRun {
  /** Kernel and init output (the guest console), capped at a few MiB. */
  console: string;
  /** The script's exit status; null when it did not finish (timeout, crash). */
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Every file the guest left in the results directory, by path relative to it ('/' separated). */
  files: ReadonlyMap<string, string>;
  /** Modules init could not load (see files `_boot/modprobe.err`). */
  modulesFailed: string[];
}

/** Why UML cannot run here, or null when it can. Checks only what is installed; a boot can still fail. */
export function canRunUml(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `needs x86-64 Linux (this is ${process.platform}/${process.arch})`;
  const kernel = umlKernel();
  if (!existsSync(kernel)) return `needs the user-mode-linux package (${kernel} is missing)`;
  let version: string;
  try {
    version = execFileSync(kernel, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (e) {
    return `${kernel} --version failed: ${(e as Error).message}`;
  }
  if (!existsSync(path.join(UML_MODULES, version, 'kernel/net/netfilter/ipvs'))) {
    return `needs IPVS modules for UML ${version} in ${UML_MODULES}/${version}`;
  }
  const tools: Array<[string, string]> = [['modprobe', 'kmod'], ['ipvsadm', 'ipvsadm'], ['ip', 'iproute2'], ['cc', 'gcc']];
  const missing = tools.filter(([tool]) => !onPath(tool)).map(([tool, pkg]) => `${tool} (${pkg})`);
  if (missing.length > 0) return `needs ${missing.join(', ')}`;
  return null;
}

/** Boots the guest once, runs opts.script, and returns the console and the results the guest wrote. */
export async function bootUml(opts: UmlOptions): Promise<UmlRun> {
  const unavailable = canRunUml();
  if (unavailable) throw new UmlError('LVSD_E_UML_UNAVAILABLE', unavailable);
  sweepAbandoned();
  const work = mkdtempSync(path.join(os.tmpdir(), `${WORK_PREFIX}${process.pid}-`));
  try {
    const launcher = buildLauncher(work);
    const paths = { work, results: path.join(work, 'results'), script: path.join(work, 'script.sh') };
    const init = path.join(work, 'init.sh');
    writeFileSync(paths.script, opts.script);
    writeFileSync(init, initScript(paths, [...DEFAULT_GUEST_MODULES, ...(opts.modules ?? [])], opts.env ?? {}), { mode: 0o755 });
    const args = [
      umlKernel(),
      `mem=${opts.memMb ?? 1024}M`,
      'root=/dev/root', 'rootfstype=hostfs', 'rootflags=/', 'rw',
      `init=${init}`,
      // Console 0 on our pipes; no other consoles, so the guest opens no terminals on the host.
      'con=null', 'con0=fd:0,fd:1',
      // UML's pid file and management socket go in the work directory, not ~/.uml.
      `uml_dir=${path.join(work, 'uml')}`, `umid=lvsd-${process.pid}`,
    ];
    const started = Date.now();
    const { console, timedOut } = await run(launcher, args, opts.timeoutMs ?? 60_000);
    const files = readTree(paths.results);
    if (!files.has(`${BOOT_DIR}/ready`)) {
      const tail = console.split('\n').slice(-25).join('\n');
      if (/Run \S+ as init process/.test(console) && !timedOut) {
        throw new UmlError('LVSD_E_UML_INIT', `the guest's init failed before '${READY_MARKER}'`, tail);
      }
      throw new UmlError('LVSD_E_UML_BOOT', `user-mode Linux did not boot here${timedOut ? ' (timed out)' : ''}: ${lastMeaningfulLine(tail)}`, tail);
    }
    const code = files.get(`${BOOT_DIR}/exit-code`);
    return {
      console,
      exitCode: code === undefined ? null : Number(code.trim()),
      timedOut,
      durationMs: Date.now() - started,
      files,
      modulesFailed: (files.get(`${BOOT_DIR}/modules-failed`) ?? '').split('\n').filter(Boolean),
    };
  } finally {
    if (process.env.LVSD_UML_KEEP) process.stderr.write(`uml: kept ${work} (the next boot removes it)\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Removes work directories of earlier runs whose process is gone: a test process killed outright (tap
 * timeout) never reaches its finally. The launcher has already killed those runs' guests.
 */
function sweepAbandoned(): void {
  for (const name of readdirSync(os.tmpdir())) {
    const owner = name.startsWith(WORK_PREFIX) ? Number.parseInt(name.slice(WORK_PREFIX.length), 10) : NaN;
    if (Number.isNaN(owner) || alive(owner)) continue;
    rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function onPath(tool: string): boolean {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin']);
  return dirs.some((d) => d !== '' && existsSync(path.join(d, tool)));
}

/** Compiles the seccomp launcher (why it exists: see its source) into the work directory. */
function buildLauncher(work: string): string {
  const out = path.join(work, 'uml-launch');
  try {
    execFileSync('cc', ['-O2', '-Wall', '-o', out, path.join(repoRoot(), LAUNCHER_SOURCE)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new UmlError('LVSD_E_UML_LAUNCHER', `cannot compile ${LAUNCHER_SOURCE}: ${stderr.trim() || (e as Error).message}`);
  }
  return out;
}

/**
 * Runs the launcher in a process group of its own and stops the guest by sending the launcher SIGTERM:
 * it kills UML's process group (UML calls setsid(), and its helpers can outlive its main process) and then
 * its own. Killing the launcher's group afterwards catches a launcher that never got that far.
 */
function run(launcher: string, args: string[], timeoutMs: number): Promise<{ console: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(launcher, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stop = (): void => {
      if (child.pid === undefined) return;
      try { process.kill(child.pid, 'SIGTERM'); } catch { /* already gone */ }
    };
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    };
    // A test process that exits mid-boot must not leave a guest running; if it is killed instead, the
    // launcher's parent-death signal does the same.
    process.once('exit', stop);
    let out = '';
    const collect = (d: Buffer): void => {
      if (out.length < CONSOLE_LIMIT) out += d.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      process.off('exit', stop);
      reject(new UmlError('LVSD_E_UML_BOOT', `cannot start ${launcher}: ${e.message}`));
    });
    child.on('close', () => {
      clearTimeout(timer);
      killGroup();
      process.off('exit', stop);
      resolve({ console: out, timedOut });
    });
  });
}

function readTree(dir: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of readTree(full, rel)) files.set(k, v);
    else if (e.isFile()) files.set(rel, readFileSync(full, 'utf8'));
  }
  return files;
}

function lastMeaningfulLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return [...lines].reverse().find((l) => /fail|error|panic|denied|not permitted/i.test(l)) ?? lines.at(-1) ?? 'no console output';
}
