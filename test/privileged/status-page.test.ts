import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDaemon, lvsadm } from '../../src/testing/daemon.js';
import { namedServer, whoAnswers } from '../../src/testing/servers.js';
import { freePort } from '../../src/platform/free-port.js';
import { missing, tempDir } from '../../src/testing/peers.js';
import { Chromium } from '../../src/testing/chromium.js';

// The status page at / in Debian's headless Chromium (one browser for every check): it renders the
// services and real servers from /status.json, and redraws by itself (every 2 s) when a real server goes
// away and comes back — driven here through lvsadm, as the page reads the table the data plane reports.

const VIP = '127.0.0.60';
const skip = missing('chromium');

interface Row { rs: string; cls: string; cells: string[] }
const ROWS = `[...document.querySelectorAll('#services tbody tr[data-rs]')].map((tr) => ({ rs: tr.dataset.rs, cls: tr.className, cells: [...tr.cells].map((c) => c.textContent) }))`;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

t.test('status page in headless Chromium follows a real server going away and coming back', { skip: skip ?? false }, async (t) => {
  const servers = await Promise.all(['127.0.0.61', '127.0.0.62'].map((a) => namedServer(a)));
  t.teardown(() => { for (const s of servers) s.server.close(); });
  const [a, b] = servers.map((s, i) => `127.0.0.6${i + 1}:${s.port}`);
  const vport = await freePort(VIP);
  const mport = await freePort('127.0.0.1');
  const tmp = tempDir('page');
  t.teardown(tmp.remove);
  const file = path.join(tmp.dir, 'keepalived.conf');
  writeFileSync(file, `virtual_server ${VIP} ${vport} {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n`
    + servers.map((s, i) => `  real_server 127.0.0.6${i + 1} ${s.port} {\n    weight ${i + 1}\n  }\n`).join('') + '}\n');
  const d = await startDaemon(['--dataplane', 'proxy', '-f', file, '--metrics', `127.0.0.1:${mport}`]);
  t.teardown(() => d.stop());
  // Traffic through the VIP, so the page shows a service that really forwards.
  t.match(await whoAnswers(VIP, vport), /^127\.0\.0\.6[12]$/);

  const browser = new Chromium();
  t.teardown(() => browser.close());
  const page = await browser.open(`http://127.0.0.1:${mport}/`);

  const before = await page.waitFor<Row[]>(ROWS, (rows) => rows.length === 2);
  t.same(before.map((r) => r.rs).sort(), [a, b].sort(), 'both real servers are listed');
  t.ok(before.every((r) => r.cls === 'up' && r.cells[1] === 'masq'), 'each row shows its forwarding method and the up style');
  t.equal(before.find((r) => r.rs === b)!.cells[2], '2', 'the weight column shows the configured weight');
  t.match(await page.evaluate<string>(`document.querySelector('#services tr.svc').textContent`), `TCP ${VIP}:${vport}`);
  const shotBefore = await page.screenshot();
  t.ok(shotBefore.subarray(0, 8).equals(PNG) && shotBefore.length > 5000, `a real PNG screenshot (${shotBefore.length} bytes)`);

  const del = await lvsadm(d.socket, ['-d', '-t', `${VIP}:${vport}`, '-r', b!]);
  t.equal(del.code, 0, del.err);
  const gone = await page.waitFor<Row[]>(ROWS, (rows) => rows.length === 1, 8000);
  t.same(gone.map((r) => r.rs), [a], 'the page redrew without the real server that went away');
  const shotGone = await page.screenshot();
  t.ok(shotGone.subarray(0, 8).equals(PNG), 'screenshot while it is away');
  t.not(shotGone.toString('base64'), shotBefore.toString('base64'), 'the screenshot changed');

  const add = await lvsadm(d.socket, ['-a', '-t', `${VIP}:${vport}`, '-r', b!, '-m', '-w', '3']);
  t.equal(add.code, 0, add.err);
  const back = await page.waitFor<Row[]>(ROWS, (rows) => rows.length === 2, 8000);
  t.equal(back.find((r) => r.rs === b)?.cells[2], '3', 'it came back with its new weight');
  t.equal(await page.evaluate<string>(`document.getElementById('error').textContent`), '', 'the page reached lvsd every time');
});
