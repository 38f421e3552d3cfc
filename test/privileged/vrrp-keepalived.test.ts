// lvsd's VRRP (codec, validation, reducer, VrrpNode on a raw socket) against Debian's keepalived on a veth
// pair between two network namespaces: keepalived's adverts pass our validation, our higher priority takes
// the master role from it, and our priority-0 advert on stop gives it back within Skew_Time.
import t, { type Test } from 'tap';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Lab } from '../../src/testing/netns.js';

const why = Lab.canRun() ?? (hasKeepalived() ? null : 'needs keepalived (apt-get install -y keepalived)');
const TS_LOADER = new URL('../../node_modules/@tapjs/typescript/dist/esm/import.mjs', import.meta.url).href;
const PEER = new URL('./fixtures/vrrp-peer.ts', import.meta.url).pathname;

function hasKeepalived(): boolean {
  try {
    execFileSync('keepalived', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const AUTH = `
  authentication {
    auth_type PASS
    auth_pass secret12
  }`;
const conf = (iface: string, priority: number, version: 2 | 3) => `global_defs {
  router_id r${priority}
  vrrp_version ${version}
}
vrrp_instance VI {
  state BACKUP
  interface ${iface}
  virtual_router_id 51
  priority ${priority}
  advert_int 1${version === 2 ? AUTH : ''}
  virtual_ipaddress {
    10.213.0.100/24
  }
}
`;

/** Collects a child's output lines with the time each arrived. */
function lines(c: ChildProcess): Array<{ at: number; text: string }> {
  const out: Array<{ at: number; text: string }> = [];
  const take = (d: Buffer) => { for (const text of d.toString().split('\n').filter(Boolean)) out.push({ at: performance.now(), text }); };
  c.stdout?.on('data', take);
  c.stderr?.on('data', take);
  return out;
}

async function until(what: string, cond: () => boolean, ms: number): Promise<number> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (cond()) return performance.now();
    await sleep(20);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** Two namespaces on a veth pair: keepalived on one side (10.213.0.1), lvsd's VrrpNode on the other (10.213.0.2). */
function vrrpLab(t: Test, tag: string) {
  const lab = new Lab(tag);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-vrrp-'));
  t.teardown(() => {
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  const k = lab.host('ka');
  const l = lab.host('lvsd');
  lab.link(k, '10.213.0.1/24', l, '10.213.0.2/24');
  execFileSync('ip', ['-n', l, 'route', 'add', '224.0.0.0/4', 'dev', 'v1x0']);
  const keepalived = (priority: number, version: 2 | 3) => {
    writeFileSync(path.join(dir, 'ka.conf'), conf('v0x1', priority, version));
    const c = lab.spawn(k, 'keepalived', ['-n', '-l', '-P', '-f', path.join(dir, 'ka.conf'), '-p', path.join(dir, 'ka.pid'), '-r', path.join(dir, 'vrrp.pid')]);
    return { c, log: lines(c) };
  };
  const peer = (priority: number, version: 2 | 3, runMs: number) => {
    const c = lab.spawn(l, process.execPath, ['--import', TS_LOADER, PEER, JSON.stringify({ conf: conf('v1x0', priority, version), addr: '10.213.0.2', runMs })]);
    const log = lines(c);
    t.teardown(() => { if (!t.passing()) t.comment(`lvsd peer:\n${log.map((x) => x.text).join('\n')}`); });
    const parsed = () => log.flatMap((x) => { try { return [JSON.parse(x.text) as Record<string, unknown>]; } catch { return []; } });
    return { c, parsed };
  };
  const kaHasVip = () => lab.exec(k, 'ip', ['-4', 'addr', 'show', 'dev', 'v0x1']).includes('10.213.0.100');
  return { keepalived, peer, kaHasVip };
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null ? r() : c.once('exit', () => r())));

for (const version of [2, 3] as const) t.test(`VRRPv${version}${version === 2 ? ' with PASS' : ''}: lvsd preempts keepalived and hands back with priority 0`, { skip: why ?? false }, async (t) => {
  const { keepalived, peer, kaHasVip } = vrrpLab(t, `vr${version}`);
  const ka = keepalived(100, version);
  await until('keepalived to become MASTER', kaHasVip, 10_000);
  const p = peer(150, version, 9_000);
  const ours = p.parsed;
  // Loading TypeScript takes a while on a busy machine: time from the peer's start (its BACKUP notify).
  const started = await until('lvsd to start', () => ours().some((x) => x.state === 'BACKUP'), 60_000);
  const master = await until('lvsd to become MASTER', () => ours().some((x) => x.state === 'MASTER'), 8_000);
  await until('keepalived to give up the address', () => !kaHasVip(), 3_000);
  t.ok(master - started > 3_000 && master - started < 4_000, `lvsd took over after its Master_Down_Interval, 3414 ms (${Math.round(master - started)} ms after start)`);

  await until('lvsd to stop', () => ours().some((x) => x.state === 'STOP'), 10_000);
  await until('keepalived to take the address back', kaHasVip, 3_000);
  await exited(p.c);
  const final = ours().find((x) => x.final === true);
  // keepalived's first advert as master comes Skew_Time (256−100)/256 s after our priority 0 (RFC 3768 §6.4.2).
  const failback = Number(final?.takeoverMs);
  t.ok(failback >= 600 && failback < 1_000, `keepalived took over ${failback} ms after our priority-0 advert (Skew_Time 609 ms)`);
  t.same(final?.rejections, {}, 'no keepalived advert was rejected');
  t.ok(Number(final?.heard) >= 2, `keepalived adverts heard: ${String(final?.heard)}`);
  t.same(ours().filter((x) => x.state).map((x) => x.state), ['BACKUP', 'MASTER', 'STOP']);

  ka.c.kill('SIGTERM');
  await exited(ka.c);
  const text = ka.log.map((x) => x.text).join('\n');
  t.match(text, /higher priority 150/, 'keepalived yielded to our priority 150');
  t.match(text, /Entering BACKUP STATE/);
  t.notMatch(text, /invalid passwd|Invalid VRRPv[23] checksum|ip_tot_len mismatch|wrong version|too (long|short)/, 'keepalived accepted our adverts');
  t.comment(`figures (v${version}): lvsd took over ${Math.round(master - started)} ms after start; keepalived took back ${Math.round(failback)} ms after our priority 0`);
});

t.test('VRRPv2: keepalived preempts lvsd, and lvsd takes over within Skew_Time of keepalived’s priority 0', { skip: why ?? false }, async (t) => {
  const { keepalived, peer, kaHasVip } = vrrpLab(t, 'vrk');
  const p = peer(100, 2, 14_000);
  await until('lvsd to become MASTER', () => p.parsed().some((x) => x.state === 'MASTER'), 60_000);
  const ka = keepalived(200, 2);
  await until('keepalived to take over', kaHasVip, 8_000);
  await until('lvsd to yield', () => p.parsed().filter((x) => x.state).at(-1)?.state === 'BACKUP', 3_000);
  ka.c.kill('SIGTERM');
  await exited(ka.c);
  await exited(p.c);
  const states = p.parsed().filter((x) => x.state);
  t.same(states.map((x) => x.state), ['BACKUP', 'MASTER', 'BACKUP', 'MASTER', 'STOP']);
  const final = p.parsed().find((x) => x.final === true);
  const takeover = Number(states[3]?.at) - Number(final?.zeroHeardAt);
  // RFC 3768 §6.4.2: Master_Down_Timer = Skew_Time = (256 − 100)/256 s after a priority-0 advert.
  t.ok(takeover >= 609 && takeover < 1_000, `lvsd took over ${Math.round(takeover)} ms after keepalived's priority 0 (Skew_Time 609 ms)`);
  t.same(final?.rejections, {}, 'no keepalived advert was rejected');
  t.match(ka.log.map((x) => x.text).join('\n'), /Entering MASTER STATE/);
  t.comment(`figures: lvsd took over ${Math.round(takeover)} ms after keepalived's priority-0 advert`);
});
