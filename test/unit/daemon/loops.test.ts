import t from 'tap';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon, lvsadm } from '../../../src/testing/daemon.js';
import { freePort } from '../../../src/platform/free-port.js';

// Issue 11: a real server equal to the VIP made the proxy plane connect to itself for every client, 20,000
// descriptors in under a second from one client. It is refused at config load and at lvsadm -a.

const VIP = '127.0.0.90';

function fds(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

t.test('RS == VIP: refused with a clear error in the file and from lvsadm; a client costs nothing', async (t) => {
  const vport = await freePort(VIP);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-loops-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keepalived.conf');
  fs.writeFileSync(file, `virtual_server ${VIP} ${vport} {\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n    real_server ${VIP} ${vport} {\n    }\n}\n`);
  const d = await startDaemon(['--dataplane', 'proxy', '-f', file]);
  t.teardown(async () => { if (d.proc.exitCode === null) d.proc.kill('SIGKILL'); await d.exited; });
  // pino writes asynchronously: the line may trail the control socket's first answer
  for (let i = 0; i < 60 && !d.log().includes('table change refused'); i++) await sleep(50);
  t.match(d.log(), /"errno":"ELOOP".*"msg":"table change refused"/, 'the config load reports the refused real server');
  t.match(d.log(), new RegExp(`real server TCP ${VIP.replace(/\./g, '\\.')}:${vport} is lvsd's own listener`), 'naming it');

  const r = await lvsadm(d.socket, ['-a', '-t', `${VIP}:${vport}`, '-r', `${VIP}:${vport}`, '-m']);
  t.not(r.code, 0, 'lvsadm -a fails');
  t.match(r.err, /own listener/, `and says why: ${r.err.trim()}`);

  const before = fds(d.proc.pid!);
  const outcome = await new Promise<string>((resolve) => {
    const c = net.connect({ host: VIP, port: vport });
    c.setTimeout(3000, () => { c.destroy(); resolve('timeout'); });
    c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    c.on('close', () => resolve('closed'));
  });
  t.equal(outcome, 'ECONNRESET', 'a client of the service without real servers is reset, as IPVS does');
  const after = fds(d.proc.pid!);
  t.ok(after <= before + 2, `lvsd's descriptors stay put: ${before} → ${after} (before the fix: 20,000 in under a second)`);
  t.equal(await d.stop(), 0);
});
