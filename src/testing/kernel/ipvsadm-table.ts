import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repo.js';
import { scenarioLab } from './lab.js';
import { writeDurable, type Asserts, type Scenario } from './scenario.js';

/**
 * A kernel IPVS table with one of most things ipvsadm can express, programmed by ipvsadm 1.31 in a fresh
 * namespace, and ipvsadm's listings of it captured as files. They are the reference lvsadm must match byte
 * for byte: test/kernel/golden/ipvsadm/ keeps them, and a later scenario can replay TABLE_COMMANDS through
 * lvsadm in the same boot and compare. Addresses are lab-only (198.18.0.0/15, 2001:2::/48 — RFC 2544 and
 * RFC 5180 benchmarking space); nothing is routed, the table is only programmed and listed.
 */

export const TABLE_COMMANDS: readonly (readonly string[])[] = [
  ['--set', '600', '60', '200'],
  // NAT, weighted, with thresholds and a drained (weight 0) server
  ['-A', '-t', '198.18.10.1:80', '-s', 'wrr'],
  ['-a', '-t', '198.18.10.1:80', '-r', '198.18.11.1:8080', '-m', '-w', '3'],
  ['-a', '-t', '198.18.10.1:80', '-r', '198.18.11.2:8080', '-m', '-w', '1', '-x', '100', '-y', '50'],
  ['-a', '-t', '198.18.10.1:80', '-r', '198.18.11.3:8080', '-m', '-w', '0'],
  ['-e', '-t', '198.18.10.1:80', '-r', '198.18.11.1:8080', '-m', '-w', '4'],
  // DR with persistence, a netmask and scheduler flags; real-server ports default to the service's
  ['-A', '-t', '198.18.10.2:443', '-s', 'sh', '-b', 'sh-fallback,sh-port', '-p', '300', '-M', '255.255.255.0'],
  ['-a', '-t', '198.18.10.2:443', '-r', '198.18.11.4', '-g'],
  ['-a', '-t', '198.18.10.2:443', '-r', '198.18.11.5', '-g', '-w', '2'],
  // UDP one-packet scheduling over the three tunnel types
  ['-A', '-u', '198.18.10.3:53', '-s', 'lc', '-o'],
  ['-a', '-u', '198.18.10.3:53', '-r', '198.18.12.1:53', '-i'],
  ['-a', '-u', '198.18.10.3:53', '-r', '198.18.12.2:53', '-i', '--tun-type', 'gue', '--tun-port', '6080', '--tun-nocsum'],
  ['-a', '-u', '198.18.10.3:53', '-r', '198.18.12.3:53', '-i', '--tun-type', 'gre', '--tun-csum'],
  // firewall marks, IPv4 and IPv6
  ['-A', '-f', '7', '-s', 'mh', '-b', 'mh-fallback,mh-port', '-p', '60'],
  ['-a', '-f', '7', '-r', '198.18.11.6', '-g'],
  ['-a', '-f', '7', '-r', '198.18.11.7', '-g', '-w', '5'],
  ['-A', '-f', '8', '-6', '-s', 'nq'],
  // ipvsadm 1.31 takes a bare IPv6 address here but rejects '[2001:2::13]' without a port
  ['-a', '-f', '8', '-6', '-r', '2001:2::13', '-g'],
  // IPv6 services
  ['-A', '-t', '[2001:2::10]:80', '-s', 'sed', '-p', '1800', '-M', '64'],
  ['-a', '-t', '[2001:2::10]:80', '-r', '[2001:2::11]:80', '-m', '-w', '5'],
  ['-a', '-t', '[2001:2::10]:80', '-r', '[2001:2::12]:80', '-g'],
  // SCTP, and UDP with the SIP persistence engine
  ['-A', '--sctp-service', '198.18.10.4:3868', '-s', 'fo'],
  ['-a', '--sctp-service', '198.18.10.4:3868', '-r', '198.18.11.8:3868', '-m', '-w', '2'],
  ['-a', '--sctp-service', '198.18.10.4:3868', '-r', '198.18.11.9:3868', '-m'],
  ['-A', '-u', '198.18.10.5:5060', '-s', 'rr', '-p', '120', '--pe', 'sip'],
  ['-a', '-u', '198.18.10.5:5060', '-r', '198.18.11.10:5060', '-m'],
  // every other scheduler, one service each
  ...['lblc', 'lblcr', 'dh', 'wlc', 'ovf'].flatMap((sched, i) => [
    ['-A', '-t', `198.18.10.${20 + i}:25`, '-s', sched],
    ['-a', '-t', `198.18.10.${20 + i}:25`, '-r', `198.18.13.${20 + i}:25`, '-m', '-w', String(i + 1)],
  ]),
];

/** Listings captured after TABLE_COMMANDS: file name (under the scenario dir) → ipvsadm arguments. */
export const LISTINGS: Readonly<Record<string, readonly string[]>> = {
  'save-n.txt': ['-Sn'],
  'list-n.txt': ['-Ln'],
  'stats.txt': ['-Ln', '--stats'],
  'stats-exact.txt': ['-Ln', '--stats', '--exact'],
  'rate.txt': ['-Ln', '--rate'],
  'thresholds.txt': ['-Ln', '--thresholds'],
  'persistent-conn.txt': ['-Ln', '--persistent-conn'],
  'tun-info.txt': ['-Ln', '--tun-info'],
  'timeout.txt': ['-L', '--timeout'],
  'connections.txt': ['-Lnc'],
  'one-service.txt': ['-Ln', '-t', '198.18.10.1:80'],
  'one-fwmark.txt': ['-Ln', '-f', '7'],
};

export interface CommandRun {
  args: readonly string[];
  code: number | null;
  stderr: string;
}

export interface TableData {
  commands: CommandRun[];
  listings: Record<string, CommandRun>;
  /** `ipvsadm -Sn` after `ipvsadm -R` of save-n.txt into an empty namespace. */
  restoredSave: string;
}

function ipvsadmIn(ns: string, args: readonly string[], input?: string): { run: CommandRun; stdout: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'ipvsadm', ...args], { input, encoding: 'utf8', timeout: 10_000 });
  return { run: { args, code: r.status, stderr: r.stderr ?? '' }, stdout: r.stdout ?? '' };
}

/** Where the reference listings live; LVSD_UPDATE_GOLDEN=1 rewrites them from the kernel. */
export const goldenDir = (): string => path.join(repoRoot(), 'test/kernel/golden/ipvsadm');

function checkTable(t: Asserts, d: TableData, files: ReadonlyMap<string, string>): void {
  const failed = d.commands.filter((c) => c.code !== 0);
  t.same(failed, [], `ipvsadm accepted all ${d.commands.length} table commands`);
  const update = process.env.LVSD_UPDATE_GOLDEN === '1';
  for (const [file, run] of Object.entries(d.listings)) {
    const got = files.get(file);
    t.equal(run.code, 0, `ipvsadm ${run.args.join(' ')} exits 0 ${run.stderr}`);
    const golden = path.join(goldenDir(), file);
    if (update && got !== undefined) {
      mkdirSync(goldenDir(), { recursive: true });
      writeFileSync(golden, got);
      t.comment(`wrote ${golden}`);
    } else if (!existsSync(golden)) {
      t.fail(`${golden} is missing; run with LVSD_UPDATE_GOLDEN=1 to write it from the kernel`);
    } else {
      t.equal(got, readFileSync(golden, 'utf8'), `ipvsadm ${run.args.join(' ')} matches ${file}`);
    }
  }
  t.equal(d.restoredSave, files.get('save-n.txt'), 'ipvsadm -R of the -Sn output rebuilds the same table');
}

export const ipvsadmTableScenario: Scenario<TableData> = {
  name: 'ipvsadm-table',
  budgetMs: 30_000,
  async run(ctx): Promise<TableData> {
    const lab = scenarioLab(ctx, 'tbl');
    const ns = lab.host('table');
    const commands = TABLE_COMMANDS.map((args) => ipvsadmIn(ns, args).run);
    const listings: Record<string, CommandRun> = {};
    let save = '';
    for (const [file, args] of Object.entries(LISTINGS)) {
      const { stdout, run } = ipvsadmIn(ns, args);
      listings[file] = run;
      writeDurable(path.join(ctx.dir, file), stdout);
      if (file === 'save-n.txt') save = stdout;
    }
    const copy = lab.host('restored');
    const restore = ipvsadmIn(copy, ['-R'], save).run;
    if (restore.code !== 0) throw new Error(`ipvsadm -R failed: ${restore.stderr}`);
    return { commands, listings, restoredSave: ipvsadmIn(copy, ['-Sn']).stdout };
  },
  check: checkTable,
};
