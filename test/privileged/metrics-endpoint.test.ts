import t from 'tap';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'node:http';
import { LVSD, startDaemon, lvsadm } from '../../src/testing/daemon.js';
import { freePort } from '../../src/platform/free-port.js';
import { missing, tempDir } from '../../src/testing/peers.js';
import { ALL_DEFS, BACKEND_LABELS, VRRP } from '../../src/metrics/definitions.js';

// A running lvsd (proxy plane, a file with services) scraped for real: Prometheus's own promtool accepts
// the exposition, node_exporter's and the keepalived exporter's names are there with their labels, and
// the same daemon answers /status.json, lvsadm --status and lvsd --plan; the endpoint refuses what it must.

const skip = missing('promtool');

function get(port: number, p: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: p, method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const conf = (rs2: string, w: number, v6port: number): string => `virtual_server 127.0.0.70 8080 {\n  lb_algo wrr\n  lb_kind NAT\n  protocol TCP\n`
  + `  real_server 127.0.0.71 80 {\n    weight ${w}\n  }\n  real_server ${rs2} 80 {\n    weight 1\n  }\n}\n`
  + `virtual_server ::1 ${v6port} {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n  real_server 2001:db8::71 443 {\n    weight 1\n  }\n}\n`;

t.test('metrics, status and plan against a running lvsd', { skip: skip ?? false }, async (t) => {
  const tmp = tempDir('metrics');
  t.teardown(tmp.remove);
  const file = path.join(tmp.dir, 'keepalived.conf');
  const v6port = await freePort('::1');
  writeFileSync(file, conf('127.0.0.72', 2, v6port));
  const port = await freePort('127.0.0.1');
  const d = await startDaemon(['--dataplane', 'proxy', '-f', file, '--metrics', `127.0.0.1:${port}`]);
  t.teardown(() => d.stop());

  const m = await get(port, '/metrics');
  t.equal(m.status, 200);
  t.match(m.type, /^text\/plain; version=0\.0\.4/);
  const check = spawnSync('promtool', ['check', 'metrics'], { input: m.body, encoding: 'utf8' });
  t.equal(check.status, 0, `promtool check metrics: ${check.stdout}${check.stderr}`);
  for (const def of ALL_DEFS) t.match(m.body, `# TYPE ${def.name} ${def.type}\n`, `${def.name} is served`);
  t.match(m.body, '\nnode_ipvs_backend_weight{local_address="127.0.0.70",local_port="8080",remote_address="127.0.0.71",remote_port="80",proto="TCP",local_mark=""} 2\n');
  t.match(m.body, `\nnode_ipvs_backend_connections_active{local_address="::1",local_port="${v6port}",remote_address="2001:db8::71",remote_port="443",proto="TCP",local_mark=""} 0\n`,
    'IPv6 compressed as Go prints it');
  t.same(BACKEND_LABELS, ['local_address', 'local_port', 'remote_address', 'remote_port', 'proto', 'local_mark']);
  t.same(VRRP.state.labels, ['iname', 'intf', 'vrid', 'ip_address']);
  t.match(m.body, /\nnode_ipvs_connections_total \d+\n/);
  t.match(m.body, /\nkeepalived_up 1\n/);
  t.match(m.body, /\nprocess_resident_memory_bytes \d+\n/);
  t.match(m.body, /\nlvsd_reconcile_passes_total [1-9]\d*\n/, 'the load counted as a reconcile pass');

  const s = await get(port, '/status.json');
  const doc = JSON.parse(s.body) as { schema: string; plane: string; services: Array<{ address: string; realServers: Array<{ address: string; weight: number }> }> };
  t.equal(doc.schema, 'lvsd-status/1');
  t.equal(doc.plane, 'proxy');
  t.same(doc.services.map((x) => x.address), ['127.0.0.70', '::1']);
  t.same(doc.services[0]!.realServers.map((r) => `${r.address} ${r.weight}`).sort(), ['127.0.0.71 2', '127.0.0.72 1']);
  t.equal((await get(port, '/')).type, 'text/html; charset=utf-8');
  t.equal((await get(port, '/metrics', 'POST')).status, 405, 'only GET and HEAD');
  t.equal((await get(port, '/etc/passwd')).status, 404);

  const st = await lvsadm(d.socket, ['--status']);
  t.equal(st.code, 0, st.err);
  t.match(st.out, /TCP 127\.0\.0\.70:8080 {2}wrr\n/);
  t.match(st.out, /-> 127\.0\.0\.71:80 {2}not checked {2}weight 2 {2}masq/);
  t.match(st.out, `TCP [::1]:${v6port}`);
  const control = await get(port, '/metrics');
  t.match(control.body, /\nlvsd_control_requests_total\{method="status",outcome="ok"\} 1\n/, 'the status request was counted');

  // --plan: the change a reload would make, and nothing applied.
  const next = path.join(tmp.dir, 'next.conf');
  writeFileSync(next, conf('127.0.0.73', 5, v6port));
  const plan = spawnSync(process.execPath, [LVSD, '--plan', '-f', next, '--control', d.socket], { encoding: 'utf8', cwd: tmp.dir });
  t.equal(plan.status, 0, plan.stderr);
  t.match(plan.stdout, 'would apply 3 operations');
  t.match(plan.stdout, 'edit-dest tcp:127.0.0.70:8080 127.0.0.71:80 masq w5');
  t.match(plan.stdout, 'add-dest tcp:127.0.0.70:8080 127.0.0.73:80 masq w1');
  t.match(plan.stdout, 'del-dest tcp:127.0.0.70:8080 127.0.0.72:80');
  const list = await lvsadm(d.socket, ['-Ln']);
  t.match(list.out, '127.0.0.72:80', 'the plan changed nothing');
  t.notMatch(list.out, '127.0.0.73');
  const same = spawnSync(process.execPath, [LVSD, '--plan', '-f', 'keepalived.conf', '--control', d.socket], { encoding: 'utf8', cwd: tmp.dir });
  t.match(same.stdout, 'would change nothing', 'a relative path is resolved by lvsd --plan');
  writeFileSync(next, 'virtual_server 127.0.0.70 8080 {\n  lb_algo nosuch\n');
  const bad = spawnSync(process.execPath, [LVSD, '--plan', '-f', next, '--control', d.socket], { encoding: 'utf8' });
  t.equal(bad.status, 1);
  t.match(bad.stderr, `${next}:`, 'the errors name the file and line');
  t.match(bad.stderr, 'would change nothing');
  const away = spawnSync(process.execPath, [LVSD, '--plan', '-f', next, '--control', path.join(tmp.dir, 'none.sock')], { encoding: 'utf8' });
  t.equal(away.status, 2, 'no lvsd: exit 2');
});

t.test('--metrics: off serves nothing, a taken address named by the operator stops lvsd', { skip: skip ?? false }, async (t) => {
  const port = await freePort('127.0.0.1');
  const off = await startDaemon(['--dataplane', 'proxy', '--metrics', 'off']);
  t.teardown(() => off.stop());
  for (let i = 0; i < 100 && !off.log().includes('lvsd started'); i++) await sleep(50);
  t.match(off.log(), 'lvsd started');
  t.notMatch(off.log(), 'serving /metrics', '--metrics off opens no endpoint');
  const first = await startDaemon(['--dataplane', 'proxy', '--metrics', `127.0.0.1:${port}`]);
  t.teardown(() => first.stop());
  const r = spawnSync(process.execPath, [LVSD, '--dataplane', 'proxy', '--metrics', `127.0.0.1:${port}`, '--control', path.join(tempDir('m2').dir, 's.sock')], { encoding: 'utf8', timeout: 20_000 });
  t.equal(r.status, 1, 'exit 1');
  t.match(r.stdout + r.stderr, 'cannot open the metrics endpoint');
});
