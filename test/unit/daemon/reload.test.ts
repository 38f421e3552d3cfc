import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon, lvsadm } from '../../../src/testing/daemon.js';
import { namedServer, whoAnswers } from '../../../src/testing/servers.js';
import { freePort } from '../../../src/platform/free-port.js';

// SIGHUP under traffic through the proxy plane: a client loop sees no failed request while a reload
// swaps one real server for another, and a reload of a broken file changes nothing.

const VIP = '127.0.0.30';

function conf(vport: number, reals: Array<[string, number]>): string {
  const rs = reals.map(([a, p]) => `    real_server ${a} ${p} {\n        weight 1\n    }\n`).join('');
  return `global_defs {\n    router_id lvsd_test\n}\n\nvirtual_server ${VIP} ${vport} {\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n${rs}}\n`;
}

// A reload reads the file in a fresh worker thread (daemon/config-worker.ts), which loads the reader's
// modules first: ~0.5 s alone, several seconds on a loaded 2-core machine under this test's traffic loop.
async function waitForLog(log: () => string, pattern: RegExp, after: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (pattern.test(log().slice(after))) return;
    await sleep(50);
  }
  throw new Error(`log never matched ${pattern}`);
}

t.test('reload under traffic: zero failed requests; a broken file changes nothing', async (t) => {
  const servers = await Promise.all(['127.0.0.31', '127.0.0.32', '127.0.0.33'].map((a) => namedServer(a)));
  t.teardown(() => { for (const s of servers) s.server.close(); });
  const [a, b, c] = servers.map((s, i) => [`127.0.0.3${i + 1}`, s.port] as [string, number]);
  const vport = await freePort(VIP);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-reload-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keepalived.conf');
  fs.writeFileSync(file, conf(vport, [a!, b!]));

  const d = await startDaemon(['--dataplane', 'proxy', '-f', file]);
  t.teardown(() => d.stop());

  let failures = 0;
  let stop = false;
  const seen: string[] = [];
  const loop = (async () => {
    const deadline = Date.now() + 20_000;
    for (let i = 0; i < 3000 && !stop && Date.now() < deadline; i++) {
      try {
        seen.push(await whoAnswers(VIP, vport, `127.0.5.${1 + (i % 250)}`));
      } catch {
        failures++;
      }
    }
  })();

  await sleep(300);
  const mark = d.log().length;
  fs.writeFileSync(file, conf(vport, [b!, c!]));
  d.proc.kill('SIGHUP');
  await waitForLog(d.log, /configuration applied/, mark);
  const afterReload = seen.length;
  await sleep(300);
  const good = (await lvsadm(d.socket, ['-Sn'])).out;
  t.match(good, /127\.0\.0\.33:/, 'the new real server is in the table');
  t.notMatch(good, /127\.0\.0\.31:/, 'the removed real server is gone');

  const mark2 = d.log().length;
  fs.writeFileSync(file, `${conf(vport, [a!])}virtual_server ${VIP} {\n`);
  d.proc.kill('SIGHUP');
  await waitForLog(d.log, /configuration has errors; nothing changed/, mark2);
  await sleep(200);
  t.equal((await lvsadm(d.socket, ['-Sn'])).out, good, 'a broken file changed nothing');
  stop = true;
  await loop;

  t.equal(failures, 0, `no request failed across the reloads (${seen.length} requests)`);
  const late = seen.slice(afterReload + 20);
  t.ok(late.length > 50, 'traffic kept flowing after the reload');
  t.notOk(late.includes('127.0.0.31'), 'nothing new reached the removed server');
  t.ok(late.includes('127.0.0.33'), 'the added server took traffic');
  t.equal(d.proc.exitCode, null, 'lvsd still runs');
});

t.test('lvsd -t and --dump-config', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-t-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const good = path.join(dir, 'good.conf');
  fs.writeFileSync(good, conf(8080, [['127.0.0.41', 80], ['127.0.0.42', 80]]));
  const bad = path.join(dir, 'bad.conf');
  fs.writeFileSync(bad, 'virtual_server 127.0.0.40 80 {\n    lb_algo nosuch\n    real_server 127.0.0.41 99999 {\n    }\n}\n');
  const { spawnSync } = await import('node:child_process');
  const { LVSD } = await import('../../../src/testing/daemon.js');
  const ok = spawnSync(process.execPath, [LVSD, '-t', '-f', good], { encoding: 'utf8' });
  t.equal(ok.status, 0, ok.stderr);
  const ko = spawnSync(process.execPath, [LVSD, '--config-test', '-f', bad], { encoding: 'utf8' });
  t.equal(ko.status, 1);
  t.match(ko.stderr, new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: error: .*nosuch`, 'm'), 'the scheduler line is named');
  t.match(ko.stderr, /:3: error: .*99999/, 'the port line is named');
  const dump = spawnSync(process.execPath, [LVSD, '--dump-config', '-f', good], { encoding: 'utf8' });
  t.equal(dump.status, 0);
  const cfg = JSON.parse(dump.stdout) as { virtualServers: Array<{ scheduler: string; realServers: Array<{ weight: number; port: number }> }> };
  t.equal(cfg.virtualServers.length, 1);
  t.equal(cfg.virtualServers[0]!.scheduler, 'rr');
  t.same(cfg.virtualServers[0]!.realServers.map((r) => r.port), [80, 80]);
});

t.test('changes made with lvsadm are operator overrides: repair keeps them, --overrides lists them, SIGHUP clears them', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-overrides-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const vport = await freePort(VIP);
  const file = path.join(dir, 'keepalived.conf');
  fs.writeFileSync(file, conf(vport, [['127.0.0.34', 8080], ['127.0.0.35', 8080]]));
  const d = await startDaemon(['--dataplane', 'proxy', '-f', file, '--reconcile-interval', '0.2', '--log-level', 'debug']);
  t.teardown(() => d.stop());
  const good = (await lvsadm(d.socket, ['-Sn'])).out;
  const mark = d.log().length;
  // drain a real server for maintenance, and add a service of one's own
  t.equal((await lvsadm(d.socket, ['-e', '-t', `${VIP}:${vport}`, '-r', '127.0.0.34:8080', '-m', '-w', '0'])).code, 0);
  t.equal((await lvsadm(d.socket, ['-A', '-t', '127.0.0.36:9', '-s', 'rr'])).code, 0);
  const afterOps = d.log().length;
  await waitForLog(d.log, /"msg":"drift repair pass"(.|\n)*"msg":"drift repair pass"(.|\n)*"msg":"drift repair pass"/, afterOps);
  const held = (await lvsadm(d.socket, ['-Sn'])).out;
  t.match(held, new RegExp(`-a -t ${VIP}:${vport} -r 127\\.0\\.0\\.34:8080 -m -w 0`), 'the drain held across three repair passes');
  t.match(held, /-A -t 127\.0\.0\.36:9 -s rr/, 'and so did the added service');
  t.notMatch(d.log().slice(mark), /table reconciled/, 'drift repair changed nothing');
  t.equal(d.log().slice(mark).split('operator override: drift repair keeps it').length - 1, 2, 'each override logged once, when made');
  const listed = await lvsadm(d.socket, ['--overrides']);
  t.equal(listed.code, 0, listed.err);
  t.equal(listed.out, `-A -t 127.0.0.36:9 -s rr\n-e -t ${VIP}:${vport} -r 127.0.0.34:8080 -m -w 0\n`);

  const mark2 = d.log().length;
  d.proc.kill('SIGHUP');
  await waitForLog(d.log, /configuration applied/, mark2);
  t.match(d.log().slice(mark2), /reload clears 2 operator overrides/);
  t.equal((await lvsadm(d.socket, ['-Sn'])).out, good, 'the file is back in force');
  t.same(await lvsadm(d.socket, ['--overrides']), { code: 0, out: '', err: '' }, 'and nothing is held');
});
