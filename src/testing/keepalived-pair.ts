import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseIp } from '../model/address.js';
import { buildConfig } from '../config/build.js';
import { parseConfigText } from '../config/parse.js';
import { Lab } from './netns.js';
import { Director } from './vrrp-director.js';

/**
 * A VRRP pair on one Ethernet segment for interop tests and the takeover benchmark: hosts x (10.216.0.1) and
 * y (10.216.0.2) that run either lvsd's VRRP engine (Director) or Debian's keepalived, and an observer o
 * (10.216.0.3) that watches the wire. One keepalived.conf text serves both daemons.
 */
export interface Variant {
  readonly version: 2 | 3;
  readonly unicast: boolean;
  /** Seconds (whole for v2). */
  readonly advertInt: number;
}

export const VIP = '10.216.0.100';
export const ADDR = { x: '10.216.0.1', y: '10.216.0.2', o: '10.216.0.3' } as const;

/** The vrrp_instance both daemons run, from host `me` (x or y) at `priority`. */
export function pairConf(v: Variant, me: 'x' | 'y', priority: number): string {
  const other = me === 'x' ? ADDR.y : ADDR.x;
  const unicast = v.unicast ? `  unicast_src_ip ${ADDR[me]}\n  unicast_peer {\n    ${other}\n  }\n` : '';
  return `global_defs {
  router_id lvsd_${me}
  vrrp_version ${v.version}
  vrrp_garp_master_delay 0
  vrrp_garp_master_repeat 3
}
vrrp_instance VI {
  state BACKUP
  interface lan0
  virtual_router_id 61
  priority ${priority}
  advert_int ${v.advertInt}
${unicast}  virtual_ipaddress {
    ${VIP}/24
  }
}
`;
}

const run = promisify(execFile);

/** Polls `cond` (every 5 ms, never blocking the event loop) until it holds; the time it took, or throws. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await cond()) return performance.now() - start;
    if (performance.now() - start > ms) throw new Error(`timed out after ${Math.round(ms)} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface Keepalived {
  readonly proc: ChildProcess;
  readonly log: string[];
  /** SIGKILL to the VRRP process (keepalived runs with --dont-respawn): no priority 0, addresses left set. */
  crash(): void;
}

export class VrrpLab {
  readonly lab: Lab;
  readonly ns: { readonly x: string; readonly y: string; readonly o: string };
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-vrrplab-'));
  private readonly directors: Director[] = [];
  private runs = 0;

  constructor(tag: string) {
    this.lab = new Lab(tag);
    try {
      this.ns = { x: this.lab.host('x'), y: this.lab.host('y'), o: this.lab.host('o') };
      this.lab.bridge([{ ns: this.ns.x, addr: `${ADDR.x}/24` }, { ns: this.ns.y, addr: `${ADDR.y}/24` }, { ns: this.ns.o, addr: `${ADDR.o}/24` }]);
    } catch (e) {
      this.teardown();
      throw e;
    }
  }

  static missing(): string | null {
    const lab = Lab.canRun();
    if (lab) return lab;
    try {
      execFileSync('keepalived', ['--version'], { stdio: 'ignore' });
      return null;
    } catch {
      return 'needs keepalived (apt-get install -y keepalived)';
    }
  }

  /** lvsd's VRRP engine on host `me`. */
  lvsd(me: 'x' | 'y', conf: string): Director {
    const parsed = parseConfigText(conf, { file: `lvsd-${me}.conf`, readFile: () => { throw new Error('no includes'); }, glob: () => [] });
    const built = buildConfig(parsed.nodes, {});
    const errors = built.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new Error(errors.map((d) => d.message).join('; '));
    const d = new Director({ ns: this.ns[me], iface: 'lan0', addr: parseIp(ADDR[me])!, instances: built.config.vrrpInstances });
    this.directors.push(d);
    d.start();
    return d;
  }

  /** Debian's keepalived (VRRP only, no respawn) on host `me`. */
  keepalived(me: 'x' | 'y', conf: string): Keepalived {
    const run = `${me}${++this.runs}`;
    const file = path.join(this.dir, `${run}.conf`);
    const vrrpPid = path.join(this.dir, `${run}.vrrp.pid`);
    writeFileSync(file, conf);
    const proc = this.lab.spawn(this.ns[me], 'keepalived', ['-n', '-l', '-P', '-R', '-f', file, '-p', path.join(this.dir, `${run}.pid`), '-r', vrrpPid]);
    const log: string[] = [];
    const take = (b: Buffer) => log.push(...b.toString().split('\n').filter(Boolean));
    proc.stdout?.on('data', take);
    proc.stderr?.on('data', take);
    return {
      proc, log,
      crash: () => {
        const pid = Number(readFileSync(vrrpPid, 'utf8').trim());
        process.kill(pid, 'SIGKILL');
      },
    };
  }

  /** Asynchronous, so that polling it does not stall the directors running in this process. */
  async hasVip(me: 'x' | 'y'): Promise<boolean> {
    const { stdout } = await run('ip', ['-n', this.ns[me], '-4', '-o', 'addr', 'show', 'dev', 'lan0']);
    return stdout.includes(`${VIP}/`);
  }

  dropVip(me: 'x' | 'y'): void {
    try {
      execFileSync('ip', ['-n', this.ns[me], 'addr', 'del', `${VIP}/24`, 'dev', 'lan0'], { stdio: 'ignore' });
    } catch { /* not there */ }
  }

  teardown(): void {
    for (const d of this.directors) d.crash();
    this.lab.teardown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
