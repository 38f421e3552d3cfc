// The real lvsd under a notify socket as systemd gives it: READY=1 once started, RELOADING=1 with
// MONOTONIC_USEC then READY=1 on SIGHUP, STOPPING=1 on SIGINT (which stops it cleanly, as SIGTERM); SIGUSR1
// and SIGUSR2 write keepalived's dump files and the JSON dump.
import t from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBuilt, LVSD } from '../../src/testing/daemon.js';
import { tempDir } from '../../src/testing/peers.js';
import { freePort } from '../../src/platform/free-port.js';
import { startNotifyReceiver } from '../../src/testing/notify-receiver.js';
import { SdNotify } from '../../src/platform/sd-notify.js';
import type { Logger } from '../../src/ports/logger.js';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => quiet };

async function waitFile(file: string, ms: number): Promise<string> {
  const end = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`${file} not written within ${ms} ms`);
    await sleep(20);
  }
  return readFileSync(file, 'utf8');
}

t.test('lvsd speaks sd_notify and answers USR1, USR2, HUP and INT', async (t) => {
  ensureBuilt();
  const tmp = tempDir('signals');
  t.teardown(tmp.remove);
  const name = `@lvsd-notify-test-${process.pid}`;
  const rx = await startNotifyReceiver(name);
  t.teardown(rx.stop);
  const vport = await freePort('127.0.0.1');
  // A real server that answers, so its TCP_CHECK keeps it up and in the table.
  const backend = net.createServer((c) => c.destroy());
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  t.teardown(() => backend.close());
  const rport = (backend.address() as net.AddressInfo).port;
  const conf = path.join(tmp.dir, 'keepalived.conf');
  writeFileSync(conf, `global_defs {\n  router_id lb-signals\n  notification_email { ops@example.org }\n}\n` +
    `virtual_server 127.0.0.1 ${vport} {\n  lb_algo wlc\n  protocol TCP\n  real_server 127.0.0.1 ${rport} {\n    weight 3\n    TCP_CHECK { connect_timeout 2 }\n  }\n}\n`);
  const proc = spawn(process.execPath, [LVSD, '--dataplane', 'proxy', '-f', conf, '--control', path.join(tmp.dir, 'ctl.sock')], {
    env: { ...process.env, NOTIFY_SOCKET: name, LVSD_DUMP_DIR: tmp.dir }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  t.teardown(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); });

  t.equal(await rx.waitFor((m) => m.includes('READY=1'), 10_000).catch((e: Error) => `${e.message}\n${out}`), 'READY=1\nSTATUS=running\n');

  proc.kill('SIGUSR1');
  const data = await waitFile(path.join(tmp.dir, 'keepalived.data'), 5000);
  t.match(data, /^------< Global definitions >------\n Router ID = lb-signals\n/);
  t.match(data, / Email notification = ops@example\.org\n/);
  t.match(data, new RegExp(` ------< Virtual server \\[127\\.0\\.0\\.1\\]:tcp:${vport} >------\\n   delay_loop = 60, lb_algo = wlc\\n`));
  t.match(data, new RegExp(`   ------< Real server \\[127\\.0\\.0\\.1\\]:tcp:${rport} >------\\n   Weight = 3\\n`));
  t.match(data, new RegExp(`\\n------< Health checks >------\\n Virtual server \\[127\\.0\\.0\\.1\\]:tcp:${vport}: quorum UP, .*\\n   Real server \\[127\\.0\\.0\\.1\\]:tcp:${rport}: UP, weight 3, checkers TCP_CHECK up\\n`), 'health');
  t.match(data, new RegExp(` Service \\[127\\.0\\.0\\.1\\]:tcp:${vport} scheduler wlc\\n   -> \\[127\\.0\\.0\\.1\\]:${rport} NAT weight 3 `), 'the live table');
  const json = JSON.parse(await waitFile(path.join(tmp.dir, 'lvsd.json'), 5000)) as { schema: string; config: { global: { routerId: string } }; table: { services: unknown[] }; health: unknown[] };
  t.equal(json.health.length, 1, 'health in the JSON dump');
  t.equal(json.schema, 'lvsd-dump/1');
  t.equal(json.config.global.routerId, 'lb-signals');
  t.equal(json.table.services.length, 1);
  t.notMatch(out, /Debugger listening/, 'SIGUSR1 is lvsd\'s, not the inspector\'s');

  proc.kill('SIGUSR2');
  const stats = await waitFile(path.join(tmp.dir, 'keepalived.stats'), 5000);
  t.match(stats, new RegExp(`^Virtual Server: \\[127\\.0\\.0\\.1\\]:tcp:${vport}\\n  Connections: 0\\n  Packets: in 0, out 0\\n  Bytes: in 0, out 0\\n  Real Server: \\[127\\.0\\.0\\.1\\]:${rport}\\n    Connections: 0\\n`));

  const before = rx.messages.length;
  proc.kill('SIGHUP');
  const reloading = await rx.waitFor((m) => m.startsWith('RELOADING=1'), 5000, before);
  const usec = Number(/MONOTONIC_USEC=(\d+)/.exec(reloading)?.[1]);
  t.ok(usec > 0, `MONOTONIC_USEC given: ${reloading}`);
  const reloadAt = rx.messages.indexOf(reloading);
  t.equal(await rx.waitFor((m) => m.startsWith('READY=1'), 5000, reloadAt), 'READY=1\nSTATUS=running\n', 'READY=1 after the reload');

  proc.kill('SIGINT');
  t.equal(await rx.waitFor((m) => m.startsWith('STOPPING=1'), 5000), 'STOPPING=1\nSTATUS=stopping\n');
  t.equal(await exited, 0, `SIGINT stops cleanly: ${out}`);
});

t.test('a path socket, a missing socket and no socket', async (t) => {
  const tmp = tempDir('notify-path');
  t.teardown(tmp.remove);
  const sock = path.join(tmp.dir, 'notify');
  const rx = await startNotifyReceiver(sock);
  t.teardown(rx.stop);
  const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: sock };
  const n = SdNotify.fromEnv(env, quiet);
  t.equal(env.NOTIFY_SOCKET, undefined, 'scripts lvsd runs do not inherit the socket');
  n?.stopping();
  t.equal(await rx.waitFor(() => true, 5000), 'STOPPING=1\nSTATUS=stopping\n');
  const warned: string[] = [];
  const log: Logger = { ...quiet, warn: (_o, m) => void warned.push(m) };
  const gone = SdNotify.fromEnv({ NOTIFY_SOCKET: path.join(tmp.dir, 'nobody-listens') }, log);
  gone?.ready('x');
  gone?.ready('x');
  t.equal(warned.length, 1, 'a dead socket is said once per kind');
  t.match(warned[0], /sd_notify ready: .*ENOENT|sd_notify ready: .*No such file/);
  t.equal(SdNotify.fromEnv({}, quiet), null);
  t.equal(SdNotify.fromEnv({ NOTIFY_SOCKET: 'relative' }, log), null);
});
