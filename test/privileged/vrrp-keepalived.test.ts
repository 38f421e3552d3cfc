// lvsd's VRRP (codec, validation, reducer, VrrpNode on a raw socket) against Debian's keepalived on a veth
// pair between two network namespaces: keepalived's adverts pass our validation, our higher priority takes
// the master role from it, and our priority-0 advert on stop gives it back within Skew_Time.
import t from 'tap';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
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

for (const version of [2, 3] as const) t.test(`VRRPv${version}${version === 2 ? ' with PASS' : ''} with keepalived 2.2.7 on a veth pair`, { skip: why ?? false }, async (t) => {
  const lab = new Lab(`vr${version}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-vrrp-'));
  t.teardown(() => {
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  const k = lab.host('ka');
  const l = lab.host('lvsd');
  lab.link(k, '10.213.0.1/24', l, '10.213.0.2/24');
  execFileSync('ip', ['-n', l, 'route', 'add', '224.0.0.0/4', 'dev', 'v1x0']);
  writeFileSync(path.join(dir, 'ka.conf'), conf('v0x1', 100, version));
  const ka = lab.spawn(k, 'keepalived', ['-n', '-l', '-P', '-f', path.join(dir, 'ka.conf'), '-p', path.join(dir, 'ka.pid'), '-r', path.join(dir, 'vrrp.pid')]);
  const kaLog = lines(ka);
  const kaHasVip = () => lab.exec(k, 'ip', ['-4', 'addr', 'show', 'dev', 'v0x1']).includes('10.213.0.100');
  await until('keepalived to become MASTER', kaHasVip, 10_000);

  const peer = lab.spawn(l, process.execPath, ['--import', TS_LOADER, PEER, JSON.stringify({ conf: conf('v1x0', 150, version), addr: '10.213.0.2', runMs: 9_000 })]);
  const peerLog = lines(peer);
  const ours = () => peerLog.flatMap((x) => { try { return [JSON.parse(x.text) as Record<string, unknown>]; } catch { return []; } });
  t.teardown(() => { if (t.passing()) return; t.comment(`lvsd peer:\n${peerLog.map((x) => x.text).join('\n')}`); });
  // Loading TypeScript takes a while on a busy machine: time from the peer's start (its BACKUP notify).
  const started = await until('lvsd to start', () => ours().some((x) => x.state === 'BACKUP'), 60_000);
  const master = await until('lvsd to become MASTER', () => ours().some((x) => x.state === 'MASTER'), 8_000);
  await until('keepalived to give up the address', () => !kaHasVip(), 3_000);
  t.ok(master - started > 3_000 && master - started < 4_000, `lvsd took over after its Master_Down_Interval, 3414 ms (${Math.round(master - started)} ms after start)`);

  await until('lvsd to stop', () => ours().some((x) => x.state === 'STOP'), 10_000);
  await until('keepalived to take the address back', kaHasVip, 3_000);
  await new Promise<void>((r) => peer.exitCode !== null ? r() : peer.once('exit', () => r()));
  const final = ours().find((x) => x.final === true);
  // keepalived's first advert as master comes Skew_Time (256−100)/256 s after our priority 0 (RFC 3768 §6.4.2).
  const failback = Number(final?.takeoverMs);
  t.ok(failback >= 600 && failback < 1_000, `keepalived took over ${failback} ms after our priority-0 advert (Skew_Time 609 ms)`);
  t.ok(final, 'the peer reported its counters');
  t.same(final?.rejections, {}, 'no keepalived advert was rejected');
  t.ok(Number(final?.heard) >= 2, `keepalived adverts heard: ${String(final?.heard)}`);
  t.same(ours().filter((x) => x.state).map((x) => x.state), ['BACKUP', 'MASTER', 'STOP']);

  ka.kill('SIGTERM');
  await new Promise<void>((r) => ka.exitCode !== null ? r() : ka.once('exit', () => r()));
  const text = kaLog.map((x) => x.text).join('\n');
  t.match(text, /higher priority 150/, 'keepalived yielded to our priority 150');
  t.match(text, /Entering BACKUP STATE/);
  t.notMatch(text, /invalid passwd|Invalid VRRPv[23] checksum|ip_tot_len mismatch|wrong version|too (long|short)/, 'keepalived accepted our adverts');
  t.comment(`figures (v${version}): lvsd took over ${Math.round(master - started)} ms after start; keepalived took back ${Math.round(failback)} ms after our priority 0`);
});
