import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lvsadm, startDaemon } from '../../../src/testing/daemon.js';
import { DaemonView, FifoReader, KillableServer, scratch, until } from '../../../src/testing/health-lab.js';
import { freePort } from '../../../src/platform/free-port.js';

// The real lvsd (proxy plane, loopback) running TCP_CHECKs against real servers: a killed server leaves the table
// within keepalived's window and returns within a delay_loop of coming back; notify scripts and the
// lvs_notify_fifo see what keepalived's would; a SIGHUP with unchanged checkers changes nothing, and a changed
// checker starts afresh.

const VIP = '127.0.0.50';
// delay_loop 1, connect_timeout 1, retry 1, delay_before_retry 1 (keepalived check_api.c / check_tcp.c):
const WINDOW_MS = (1 + 1 * (1 + 1) + 1) * 1000;
/** Scheduling, a reconcile pass and the 25 ms polling on a shared 2-core machine. */
const SLACK_MS = 1200;

function conf(dir: string, vport: number, a: KillableServer, b: KillableServer, bTimeout: number): string {
  return `global_defs {
  lvs_notify_fifo ${dir}/fifo
}
virtual_server ${VIP} ${vport} {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop 1
  omega
  real_server ${a.host} ${a.port} {
    weight 1
    notify_down "${dir}/notify.sh down A"
    notify_up "${dir}/notify.sh up A"
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
  real_server ${b.host} ${b.port} {
    weight 2
    TCP_CHECK {
      connect_timeout ${bTimeout}
    }
  }
}
`;
}

t.test('a killed real server leaves and returns as keepalived has it; SIGHUP keeps checker state', async (t) => {
  const { dir, script } = scratch((fn) => t.teardown(fn));
  script('notify.sh', `echo "$@" >> ${dir}/notify.log`);
  const a = await KillableServer.start('127.0.0.51');
  const b = await KillableServer.start('127.0.0.52');
  t.teardown(() => { a.kill(); b.kill(); });
  const vport = await freePort(VIP);
  const file = path.join(dir, 'keepalived.conf');
  fs.writeFileSync(file, conf(dir, vport, a, b, 1));
  const d = await startDaemon(['--dataplane', 'proxy', '-f', file]);
  t.teardown(() => d.stop());
  const view = new DaemonView(d.socket);
  t.teardown(() => view.close());
  const fifo = new FifoReader(path.join(dir, 'fifo'));
  t.teardown(() => fifo.close());
  const A = `${a.host}:${a.port}`;
  const B = `${b.host}:${b.port}`;

  t.same(await view.dests(), [`${A} w1`, `${B} w2`], 'both real servers start in the table');
  await until('every checker has run', 5000, async () => ((await view.health())[0]?.realServers.every((r) => r.checkers[0]?.hasRun) ? true : undefined));

  const killedAt = Date.now();
  a.kill();
  await until('A leaves the table', WINDOW_MS + SLACK_MS, async () => ((await view.dests()).some((x) => x.startsWith(A)) ? undefined : true));
  const gone = Date.now() - killedAt;
  t.ok(gone <= WINDOW_MS + SLACK_MS, `removed ${gone} ms after the kill (keepalived's window ${WINDOW_MS} ms)`);
  // Two failures a delay_before_retry apart: not at the first refusal.
  t.ok(gone >= 900, `not before its retry (${gone} ms)`);
  const listed = await lvsadm(d.socket, ['-Ln']);
  t.match(listed.out, new RegExp(`-> ${B.replace(/\./g, '\\.')} +Masq +2`), 'lvsadm -Ln lists B');
  t.notMatch(listed.out, A, 'lvsadm -Ln no longer lists A');
  const down = (await view.health())[0]!.realServers.find((r) => r.name === `[${a.host}]:tcp:${a.port}`)!;
  t.equal(down.alive, false, 'the health answer has A down');
  t.match(down.checkers[0], { type: 'TCP_CHECK', up: false, last: { up: false, reason: 'refused' } }, 'the health answer names the reason');
  t.ok(down.lastChange !== null && Math.abs(down.lastChange - Date.now()) < 5000, 'the time of the transition is wall time');
  t.match((await lvsadm(d.socket, ['--health'])).out, /-> \[127\.0\.0\.51\]:tcp:\d+ +DOWN .*\n +TCP_CHECK .* down .*last: refused/, 'lvsadm --health prints it');

  await a.revive();
  const backAt = Date.now();
  await until('A returns', 1000 + SLACK_MS, async () => ((await view.dests()).includes(`${A} w1`) ? true : undefined));
  t.ok(Date.now() - backAt <= 1000 + SLACK_MS, `back ${Date.now() - backAt} ms after it listened again (one delay_loop)`);

  await until('notify scripts ran', 2000, async () => (fs.existsSync(`${dir}/notify.log`) && fs.readFileSync(`${dir}/notify.log`, 'utf8').split('\n').length > 2 ? true : undefined));
  t.equal(fs.readFileSync(`${dir}/notify.log`, 'utf8'), 'down A\nup A\n', 'notify_down then notify_up, with their own argv only');
  const rsLine = (up: string) => `RS [${a.host}]:tcp:${a.port} [${VIP}]:tcp:${vport} ${up}`;
  await until('FIFO lines', 2000, async () => (fifo.lines.length >= 3 ? true : undefined));
  // The service gains quorum at start, as keepalived's update_quorum_state(vs, true) notifies it.
  t.same(fifo.lines, [`VS [${VIP}]:tcp:${vport} UP`, rsLine('DOWN'), rsLine('UP')], 'lvs_notify_fifo lines in keepalived\'s format and order');

  // SIGHUP with the same file: no transition, no table operation, state and last transition kept.
  const before = (await view.health())[0]!;
  let mark = d.log().length;
  d.proc.kill('SIGHUP');
  await until('reload', 3000, async () => (/configuration applied/.test(d.log().slice(mark)) ? true : undefined));
  await sleep(2500);
  const after = d.log().slice(mark);
  t.match(after, /"applied":0,"failed":0[^\n]*configuration applied/, 'the reload applied no table operation');
  t.notMatch(after, /"msg":"[^"]*(table reconciled|Removing service|Adding service|succeeded|failed)/, 'no transition and no later table operation');
  t.equal(fifo.lines.length, 3, 'no FIFO line');
  const kept = (await view.health())[0]!;
  t.same(kept.realServers.map((r) => r.lastChange), before.realServers.map((r) => r.lastChange), 'last transitions kept');

  // A changed checker starts as keepalived starts a new one: not run yet, the server still up (no alpha).
  fs.writeFileSync(file, conf(dir, vport, a, b, 2));
  mark = d.log().length;
  d.proc.kill('SIGHUP');
  await until('reload', 3000, async () => (/configuration applied/.test(d.log().slice(mark)) ? true : undefined));
  const fresh = (await view.health())[0]!;
  t.match(fresh.realServers.map((r) => ({ alive: r.alive, hasRun: r.checkers[0]!.hasRun })), [{ alive: true, hasRun: true }, { alive: true, hasRun: false }],
    'the changed checker restarts; the unchanged one keeps its state');
  await until('the new checker runs', 2000 + SLACK_MS, async () => ((await view.health())[0]!.realServers[1]!.checkers[0]!.hasRun ? true : undefined));
  t.same(await view.dests(), [`${A} w1`, `${B} w2`], 'no table change from the restart');
  t.equal(d.proc.exitCode, null, 'lvsd still runs');

  // omega: stopping notifies every server still up, then the service (check_daemon.c clear_services).
  const stopAt = Date.now();
  t.equal(await d.stop(), 0, 'lvsd stops cleanly');
  t.ok(Date.now() - stopAt < 5000, `within ${Date.now() - stopAt} ms`);
  t.equal(fs.readFileSync(`${dir}/notify.log`, 'utf8'), 'down A\nup A\ndown A\n', 'omega ran notify_down for A');
  await until('omega FIFO lines', 2000, async () => (fifo.lines.length >= 6 ? true : undefined));
  t.same(fifo.lines.slice(3), [rsLine('DOWN'), `RS [${b.host}]:tcp:${b.port} [${VIP}]:tcp:${vport} DOWN`, `VS [${VIP}]:tcp:${vport} DOWN`], 'and its FIFO lines');
});
