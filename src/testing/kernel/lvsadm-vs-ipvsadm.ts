import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Lab } from '../netns.js';
import { repoRoot } from '../repo.js';
import { GUEST_NODE_FLAGS } from './guest-env.js';
import { TABLE_COMMANDS } from './ipvsadm-table.js';
import { guestProgram, ipIn, runProgram, scenarioLab } from './lab.js';
import type { Asserts, Scenario } from './scenario.js';

/**
 * lvsadm against ipvsadm 1.31 on one real kernel table, in both directions: (a) ipvsadm programs the table
 * and every listing mode is printed by both tools; (b) lvsadm programs it (command by command, and once by
 * -R of ipvsadm's -Sn) and ipvsadm lists it; (c) each tool's -R takes the other's -Sn. The guest only
 * captures; check() compares byte for byte on the host, so a mismatch shows both outputs.
 */

/** One tool invocation as the host sees it. */
export interface Invocation {
  tool: 'ipvsadm' | 'lvsadm';
  args: readonly string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A listing printed by ipvsadm, then lvsadm, then ipvsadm again: counters, rates and expiry timers move
 * while the tools run, so lvsadm must equal one of ipvsadm's two (they are equal when nothing moved).
 */
export interface Listing {
  label: string;
  before: Invocation;
  lvsadm: Invocation;
  after: Invocation;
}

/** `found` (made by the tool under test) must be byte-equal to `wanted` (ipvsadm's, the reference). */
export interface Expectation {
  label: string;
  found: Invocation;
  wanted: Invocation;
}

export interface VersusData {
  /** Commands either tool refused while building a table (must stay empty). */
  refused: Invocation[];
  /** Why a mode could not be compared, if any (e.g. the sync daemon would not start). */
  skipped: string[];
  listings: Listing[];
  expectations: Expectation[];
}

const LVSADM = (): string => guestProgram(path.join(repoRoot(), 'dist/src/cli/lvsadm.js'));

function invoke(tool: Invocation['tool'], ns: string, args: readonly string[], input?: string): Invocation {
  const argv = tool === 'ipvsadm'
    ? ['ipvsadm', ...args]
    // node needs the guest's flags (guest-env.ts); --kernel so lvsadm never looks for a daemon socket
    : [process.execPath, ...GUEST_NODE_FLAGS, LVSADM(), '--kernel', ...args];
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { input, encoding: 'utf8', timeout: 15_000 });
  return { tool, args, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
}

/** Every listing mode of ipvsadm 1.31 that reads the table; labels name them in failures. */
const MODES: readonly (readonly [string, readonly string[]])[] = [
  ['-Ln', ['-Ln']],
  ['-L (names)', ['-L']],
  ['no arguments', []],
  ['--stats', ['-Ln', '--stats']],
  ['--stats --exact', ['-Ln', '--stats', '--exact']],
  ['--rate', ['-Ln', '--rate']],
  ['--rate --exact', ['-Ln', '--rate', '--exact']],
  ['--thresholds', ['-Ln', '--thresholds']],
  ['--persistent-conn', ['-Ln', '--persistent-conn']],
  ['--tun-info', ['-Ln', '--tun-info']],
  ['--sort', ['-Ln', '--sort']],
  ['--timeout', ['-L', '--timeout']],
  ['--daemon', ['-L', '--daemon']],
  ['-Sn', ['-Sn']],
  ['-S', ['-S']],
  ['one service -t', ['-Ln', '-t', '198.18.10.1:80']],
  ['one service -L -t (names)', ['-L', '-t', '198.18.10.1:80']],
  ['one v6 service', ['-Ln', '-t', '[2001:2::10]:80']],
  ['one fwmark', ['-Ln', '-f', '7']],
  ['one service --stats', ['-Ln', '--stats', '-u', '198.18.10.3:53']],
  ['missing service', ['-Ln', '-t', '198.18.10.99:80']],
  ['-Lnc', ['-Lnc']],
  ['-Lc (names)', ['-Lc']],
];

function listBoth(ns: string, label: string, args: readonly string[]): Listing {
  return { label, before: invoke('ipvsadm', ns, args), lvsadm: invoke('lvsadm', ns, args), after: invoke('ipvsadm', ns, args) };
}

/** Runs `commands` with ipvsadm into `ns`; returns the refusals. */
function program(ns: string, commands: readonly (readonly string[])[]): Invocation[] {
  return commands.map((args) => invoke('ipvsadm', ns, args)).filter((r) => r.code !== 0);
}

/** The same with lvsadm, one invocation per command inside one node process (see lvsadm-batch.ts). */
async function programLvsadm(ns: string, commands: readonly (readonly string[])[]): Promise<Invocation[]> {
  const out = await runProgram(ns, 'lvsadm-batch', [JSON.stringify(commands)], 30_000);
  const runs = JSON.parse(out) as Omit<Invocation, 'tool'>[];
  return runs.map((r) => ({ ...r, tool: 'lvsadm' as const })).filter((r) => r.code !== 0);
}

/**
 * Gives `ns` routes to the services and real servers (the sync daemons' veth holds the lab prefixes; the
 * guest kernel has no dummy links) and sends
 * a few UDP datagrams through IPVS from inside it, so -Lnc and --stats have real rows and counters. Locally
 * sent packets meet IPVS at LOCAL_OUT (ip_vs_core.c ip_vs_local_request4); nothing needs to answer.
 */
function traffic(ns: string): void {
  for (const cidr of ['198.18.10.254/24', '198.18.11.254/24', '198.18.12.254/24']) ipIn(ns, 'addr', 'add', cidr, 'dev', 'lvs0');
  ipIn(ns, 'addr', 'add', '2001:2::fe/64', 'dev', 'lvs0', 'nodad');
  // UDP to the one-packet service counts but leaves no entry (-o); TCP SYNs (never answered, so cut short)
  // leave SYN_RECV entries, and the persistent v6 service a template entry besides
  const send = [
    'for i in 1 2 3; do echo q > /dev/udp/198.18.10.3/53; done',
    ...['198.18.10.1/80', '198.18.10.1/80', '2001:2::10/80'].map((to) => `(timeout 0.5 bash -c 'echo > /dev/tcp/${to}' &)`),
    'sleep 0.7',
  ].join('; ');
  spawnSync('ip', ['netns', 'exec', ns, 'bash', '-c', send], { timeout: 5_000 });
}

/** A multicast-capable link for the sync daemons (lo and dummy links are not), inside `ns` only. */
function syncDaemons(ns: string): Invocation[] {
  ipIn(ns, 'link', 'add', 'lvs0', 'type', 'veth', 'peer', 'name', 'lvs1');
  ipIn(ns, 'link', 'set', 'lvs0', 'up');
  ipIn(ns, 'link', 'set', 'lvs1', 'up');
  return [
    invoke('ipvsadm', ns, ['--start-daemon', 'master', '--mcast-interface', 'lvs0', '--syncid', '7']),
    invoke('ipvsadm', ns, ['--start-daemon', 'backup', '--mcast-interface', 'lvs1', '--syncid', '7']),
  ].filter((r) => r.code !== 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** (a): ipvsadm writes, both list. Returns ipvsadm's own -Sn and -Ln of the quiet table as references. */
async function ipvsadmWrites(lab: Lab, d: VersusData): Promise<{ save: Invocation; list: Invocation }> {
  const ns = lab.host('ref');
  d.refused.push(...program(ns, TABLE_COMMANDS));
  const save = invoke('ipvsadm', ns, ['-Sn']);
  const list = invoke('ipvsadm', ns, ['-Ln']);
  const daemonFailures = syncDaemons(ns);
  if (daemonFailures.length > 0) d.skipped.push(`sync daemon: ${daemonFailures.map((r) => r.stderr.trim()).join('; ')}`);
  for (const [label, args] of MODES) d.listings.push(listBoth(ns, `quiet ${label}`, args));
  // with connections, and once the 2 s estimator has folded them into the counters and rates
  traffic(ns);
  await sleep(2_500);
  for (const [label, args] of MODES.filter(([l]) => /stats|rate|-L|conn|-Ln$/.test(l))) {
    d.listings.push(listBoth(ns, `busy ${label}`, args));
  }
  return { save, list };
}

/** (b) and (c): lvsadm writes (command by command and by -R); each tool's -R takes the other's -Sn. */
async function lvsadmWrites(lab: Lab, d: VersusData, ref: { save: Invocation; list: Invocation }): Promise<void> {
  const one = lab.host('one');
  // something for lvsadm's -C to flush first
  d.refused.push(...program(one, [['-A', '-t', '198.18.99.1:1']]));
  d.refused.push(...await programLvsadm(one, [['-C'], ...TABLE_COMMANDS]));
  d.expectations.push(
    { label: 'lvsadm command by command, ipvsadm -Sn', found: invoke('ipvsadm', one, ['-Sn']), wanted: ref.save },
    { label: 'lvsadm command by command, ipvsadm -Ln', found: invoke('ipvsadm', one, ['-Ln']), wanted: ref.list },
  );
  const restored = lab.host('lrestore');
  d.refused.push(...[invoke('lvsadm', restored, ['-R'], ref.save.stdout)].filter((r) => r.code !== 0));
  d.expectations.push(
    { label: 'lvsadm -R < ipvsadm -Sn, ipvsadm -Sn', found: invoke('ipvsadm', restored, ['-Sn']), wanted: ref.save },
    { label: 'lvsadm -R < ipvsadm -Sn, ipvsadm -Ln', found: invoke('ipvsadm', restored, ['-Ln']), wanted: ref.list },
  );
  // (c) the other way: ipvsadm -R of what lvsadm saves from its own table
  const lsave = invoke('lvsadm', one, ['-Sn']);
  const back = lab.host('irestore');
  d.refused.push(...[invoke('ipvsadm', back, ['-R'], lsave.stdout)].filter((r) => r.code !== 0));
  d.expectations.push(
    { label: 'lvsadm -Sn of its own table', found: lsave, wanted: ref.save },
    { label: 'ipvsadm -R < lvsadm -Sn, ipvsadm -Sn', found: invoke('ipvsadm', back, ['-Sn']), wanted: ref.save },
  );
}

/** -c listings: connection rows whose expiry counts down while three slow guest processes run one after another. */
function isConnListing(args: readonly string[]): boolean {
  return args.some((a) => /^-[A-Za-z]*c/.test(a));
}

/**
 * The expiry column (MM:SS after the protocol) ticks each second; on a loaded guest more than one tick can pass
 * between the ipvsadm runs around lvsadm's, so rows are compared with it blanked — every other byte still counts.
 */
function maskExpiry(text: string): string {
  return text.replace(/^(\S+ +)\d\d:\d\d/gm, '$1MM:SS');
}

/** cat -A style: each line ends in `$`, so trailing blanks and a missing last newline show in a diff. */
export function visible(text: string): string {
  return text.split('\n').map((l) => `${l.replace(/\t/g, '^I')}$`).join('\n');
}

function show(i: Invocation): string {
  return `${i.tool} ${i.args.join(' ')} (exit ${String(i.code)})\n${visible(i.stdout)}\nstderr: ${visible(i.stderr)}`;
}

function checkVersus(t: Asserts, d: VersusData): void {
  t.same(d.refused.map(show), [], 'every command was accepted by the tool that ran it');
  for (const why of d.skipped) t.comment(`not compared: ${why}`);
  for (const l of d.listings) {
    // messages name the program (ipvsadm prints argv[0]), so lvsadm's own name is the only allowed difference
    const stderr = l.lvsadm.stderr.replaceAll('lvsadm', 'ipvsadm');
    const same = (a: string, b: string) => a === b || (isConnListing(l.lvsadm.args) && maskExpiry(a) === maskExpiry(b));
    const matches = [l.before, l.after].some((r) => same(r.stdout, l.lvsadm.stdout) && r.code === l.lvsadm.code && r.stderr === stderr);
    if (matches) t.ok(true, `${l.label}: lvsadm ${l.lvsadm.args.join(' ')} is ipvsadm's, byte for byte`);
    else t.equal(show(l.lvsadm), show(l.before), `${l.label}: lvsadm differs from ipvsadm`);
  }
  for (const e of d.expectations) {
    t.equal(visible(e.found.stdout), visible(e.wanted.stdout), `${e.label} is ipvsadm's own (${e.found.stderr.trim()})`);
  }
  t.ok(d.listings.length >= MODES.length, `compared ${d.listings.length} listings`);
  checkNotVacuous(t, d);
}

/** Equal outputs prove little if they are empty: the busy table must have shown what it was given. */
function checkNotVacuous(t: Asserts, d: VersusData): void {
  const out = (label: string): string => d.listings.find((l) => l.label === label)?.before.stdout ?? '';
  t.ok(out('busy -Lnc').split('\n').length > 4, `the busy table lists connections:\n${out('busy -Lnc')}`);
  t.match(out('busy --stats'), /UDP {2}198\.18\.10\.3:53 +[1-9]/, 'the busy table has non-zero counters');
  if (d.skipped.length === 0) t.match(out('quiet --daemon'), /master sync daemon[^]*backup sync daemon/, 'both sync daemons are listed');
}

export const lvsadmVersusIpvsadmScenario: Scenario<VersusData> = {
  name: 'lvsadm-vs-ipvsadm',
  budgetMs: 150_000,
  async run(ctx): Promise<VersusData> {
    const lab = scenarioLab(ctx, 'lvi');
    const d: VersusData = { refused: [], skipped: [], listings: [], expectations: [] };
    const ref = await ipvsadmWrites(lab, d);
    ctx.log(`compared ${d.listings.length} listings; now lvsadm writes`);
    await lvsadmWrites(lab, d, ref);
    return d;
  },
  check: (t, d) => { checkVersus(t, d); },
};
