import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lab } from '../netns.js';
import { GUEST_NODE_FLAGS } from './guest-env.js';
import type { ScenarioContext } from './scenario.js';

/**
 * Guest-side lab building blocks on top of the privileged tier's Lab (namespaces, veth pairs, processes):
 * L2 segments (a bridge in one namespace, other namespaces plugged in with veth pairs), sysctls, routes,
 * and node programs started with the flags the guest needs. Each call is one `ip`/`sysctl` command, so a
 * failure names the exact step.
 */

/** A Lab whose teardown is registered with the scenario, so a timeout still removes it. */
export function scenarioLab(ctx: ScenarioContext, tag: string): Lab {
  const lab = new Lab(tag);
  ctx.defer(() => lab.teardown());
  return lab;
}

/** Runs `ip -n NS ARGS…`; throws with ip's own message. */
export function ipIn(ns: string, ...args: string[]): void {
  execFileSync('ip', ['-n', ns, ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

/** Sets sysctls inside a namespace, e.g. { 'net.ipv4.ip_forward': '1' }. */
export function sysctls(lab: Lab, ns: string, values: Readonly<Record<string, string>>): void {
  lab.exec(ns, 'sysctl', ['-q', '-w', ...Object.entries(values).map(([k, v]) => `${k}=${v}`)]);
}

/** One Ethernet segment: a bridge inside `ns`, optionally with an address of that namespace on it. */
export class Segment {
  private ports = 0;

  constructor(readonly ns: string, readonly bridge: string, cidr?: string) {
    ipIn(ns, 'link', 'add', bridge, 'type', 'bridge');
    if (cidr) ipIn(ns, 'addr', 'add', cidr, 'dev', bridge);
    ipIn(ns, 'link', 'set', bridge, 'up');
  }

  /** Plugs namespace `host` into the segment as interface `ifname`, addressed `cidr`, up. */
  attach(host: string, ifname: string, cidr: string): void {
    const port = `${this.bridge}p${this.ports++}`;
    execFileSync('ip', ['link', 'add', ifname, 'netns', host, 'type', 'veth', 'peer', 'name', port, 'netns', this.ns], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
    });
    ipIn(this.ns, 'link', 'set', port, 'master', this.bridge);
    ipIn(this.ns, 'link', 'set', port, 'up');
    ipIn(host, 'addr', 'add', cidr, 'dev', ifname);
    ipIn(host, 'link', 'set', ifname, 'up');
  }
}

/**
 * A node script to run in the guest: `name` is a compiled program next to this module ('http-server'), or
 * an absolute path to any other script (say dist/src/cli/lvsadm.js, found with repoRoot()).
 */
export function guestProgram(name: string): string {
  return path.isAbsolute(name) ? name : path.join(path.dirname(fileURLToPath(import.meta.url)), `${name}.js`);
}

/**
 * Starts a guest node program (see guestProgram) in a namespace, with the flags every guest node needs,
 * and resolves once it prints `ready` (or rejects on exit or timeout).
 */
export function startProgram(lab: Lab, ns: string, program: string, args: string[], timeoutMs = 15_000): Promise<ChildProcess> {
  const child = lab.spawn(ns, process.execPath, [...GUEST_NODE_FLAGS, guestProgram(program), ...args]);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${program} ${args.join(' ')} in ${ns} not ready in ${timeoutMs} ms: ${err}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${program} in ${ns} exited with ${code}: ${err}`));
    });
  });
}

/** Runs a guest node program (see guestProgram) in a namespace to completion; returns its stdout. */
export function runProgram(ns: string, program: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['netns', 'exec', ns, process.execPath, ...GUEST_NODE_FLAGS, guestProgram(program), ...args],
      { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' },
      (e, stdout, stderr) => (e ? reject(new Error(`${program} in ${ns}: ${e.message} ${stderr}`)) : resolve(stdout)));
  });
}
