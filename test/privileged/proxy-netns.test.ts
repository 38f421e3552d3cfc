import t from 'tap';
import path from 'node:path';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Lab } from '../../src/testing/netns.js';
import { LVSD, lvsadm, ensureBuilt } from '../../src/testing/daemon.js';

// lvsd with the proxy plane in its own namespace between a client host and two real-server hosts,
// configured with lvsadm over the control socket, carrying real HTTP from another namespace.

const skip = Lab.canRun();
const HTTP_SERVER = "require('http').createServer((q,s)=>s.end(process.argv[1])).listen(80, process.argv[1])";
const HTTP_CLIENT = `
const http = require('http');
const n = Number(process.argv[2]); const tally = {};
(async () => {
  for (let i = 0; i < n; i++) {
    const body = await new Promise((res, rej) => http.get(process.argv[1], { agent: false, timeout: 3000 }, (r) => {
      let b = ''; r.on('data', (d) => b += d); r.on('end', () => res(b)); }).on('error', rej));
    tally[body] = (tally[body] || 0) + 1;
  }
  console.log(JSON.stringify(tally));
})().catch((e) => { console.error(e.message); process.exit(1); });`;

t.test('proxy plane across namespaces', { skip: skip ?? false }, async (t) => {
  ensureBuilt();
  const lab = new Lab('px');
  t.teardown(() => lab.teardown());
  const client = lab.host('client');
  const director = lab.host('director');
  const rs1 = lab.host('rs1');
  const rs2 = lab.host('rs2');
  lab.link(client, '198.18.0.2/24', director, '198.18.0.1/24');
  lab.link(director, '198.18.1.1/24', rs1, '198.18.1.11/24');
  lab.link(director, '198.18.2.1/24', rs2, '198.18.2.12/24');
  lab.exec(director, 'ip', ['addr', 'add', '198.18.0.100/32', 'dev', 'v1x0']);
  lab.spawn(rs1, process.execPath, ['-e', HTTP_SERVER, '198.18.1.11']);
  lab.spawn(rs2, process.execPath, ['-e', HTTP_SERVER, '198.18.2.12']);

  const socket = path.join(os.tmpdir(), `lvsd-px-${process.pid}.sock`);
  const daemon = lab.spawn(director, process.execPath, [LVSD, '--dataplane', 'proxy', '--control', socket]);
  let log = '';
  daemon.stdout?.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<number | null>((resolve) => daemon.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 50 && (await lvsadm(socket, ['-Ln'])).code !== 0; i++) await sleep(100);

  t.equal((await lvsadm(socket, ['-A', '-t', '198.18.0.100:80', '-s', 'rr'])).code, 0);
  t.equal((await lvsadm(socket, ['-a', '-t', '198.18.0.100:80', '-r', '198.18.1.11:80', '-m'])).code, 0);
  t.equal((await lvsadm(socket, ['-a', '-t', '198.18.0.100:80', '-r', '198.18.2.12:80', '-m'])).code, 0);

  const out = lab.exec(client, process.execPath, ['-e', HTTP_CLIENT, 'http://198.18.0.100/', '20']);
  t.same(JSON.parse(out), { '198.18.1.11': 10, '198.18.2.12': 10 }, 'rr alternates between the two hosts');

  const stats = await lvsadm(socket, ['-Ln', '--stats']);
  const svcLine = stats.out.split('\n').find((l) => l.startsWith('TCP  198.18.0.100:80'));
  t.match(svcLine, /^TCP  198\.18\.0\.100:80\s+20\s/, 'service counted 20 connections');

  daemon.kill('SIGTERM');
  t.equal(await exited, 0, 'lvsd exits 0 on SIGTERM');
  t.match(log, /lvsd stopping/, 'the stop was logged (flushed before exit)');
});
