import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { startDaemon } from '../../../src/testing/daemon.js';
import { whoAnswers } from '../../../src/testing/servers.js';
import { DaemonView, KillableServer, scratch, until } from '../../../src/testing/health-lab.js';
import { freePort } from '../../../src/platform/free-port.js';

// Quorum, hysteresis and sorry_server end to end through the proxy plane under real client traffic
// (keepalived check/ipwrapper.c update_quorum_state): the sorry server answers exactly while the live weight is
// below quorum, no request fails but those sent to a real server between its death and its removal, and
// sorry_server_inhibit keeps the sorry server at weight 0 while it is not needed.

const VIP = '127.0.0.60';
/** The daemon's apply and the client's connect race by this much on a loaded machine. */
const EDGE_MS = 150;

interface Req { readonly start: number; readonly end: number; readonly who: string | null }
interface Applied { readonly time: number; readonly change: string }

function conf(vport: number, vport2: number, rs: readonly [KillableServer, number][], sorry: KillableServer, d: KillableServer, sorry2: KillableServer): string {
  const check = 'TCP_CHECK {\n      connect_timeout 1\n      retry 0\n    }';
  const real = ([s, w]: [KillableServer, number]) => `  real_server ${s.host} ${s.port} {\n    weight ${w}\n    ${check}\n  }\n`;
  return `virtual_server ${VIP} ${vport} {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop 1
  quorum 3
  hysteresis 1
  sorry_server ${sorry.host} ${sorry.port}
${rs.map(real).join('')}}
virtual_server ${VIP} ${vport2} {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop 1
  sorry_server ${sorry2.host} ${sorry2.port}
  sorry_server_inhibit
${real([d, 1])}}
`;
}

/** The daemon's log lines of applied table changes, with their wall time. */
function appliedChanges(log: string): Applied[] {
  return log.split('\n').flatMap((l) => {
    if (!l.includes('"table reconciled"')) return [];
    const j = JSON.parse(l) as { time: string; change: string };
    return [{ time: Date.parse(j.time), change: j.change }];
  });
}

t.test('quorum with hysteresis swaps in the sorry server exactly while live weight is short', async (t) => {
  const { dir } = scratch((fn) => t.teardown(fn));
  const [a, b, c, sorry, d, sorry2] = await Promise.all(['127.0.0.61', '127.0.0.62', '127.0.0.63', '127.0.0.64', '127.0.0.65', '127.0.0.66'].map((h) => KillableServer.start(h)));
  const all = [a!, b!, c!, sorry!, d!, sorry2!];
  t.teardown(() => { for (const s of all) s.kill(); });
  const vport = await freePort(VIP);
  const vport2 = await freePort(VIP);
  const file = path.join(dir, 'keepalived.conf');
  // Live weight 5 at start (quorum 3 + hysteresis 1 = 4 reached); lost below 3 − 1 = 2.
  fs.writeFileSync(file, conf(vport, vport2, [[a!, 2], [b!, 2], [c!, 1]], sorry!, d!, sorry2!));
  const dm = await startDaemon(['--dataplane', 'proxy', '-f', file]);
  t.teardown(() => dm.stop());
  const view = new DaemonView(dm.socket);
  t.teardown(() => view.close());
  const S2 = `${sorry2!.host}:${sorry2!.port}`;
  const table = async (host: string) => (await view.dests()).filter((x) => x.startsWith(host)).length > 0;
  t.ok((await view.dests()).includes(`${S2} w0`), 'sorry_server_inhibit: the sorry server is in the table at weight 0');

  const reqs: Req[] = [];
  let stop = false;
  const loop = (async () => {
    const deadline = Date.now() + 40_000;
    for (let i = 0; i < 20_000 && !stop && Date.now() < deadline; i++) {
      const start = Date.now();
      const who = await whoAnswers(VIP, vport).catch(() => null);
      reqs.push({ start, end: Date.now(), who });
    }
  })();
  const kills: { host: string; at: number }[] = [];
  const kill = (s: KillableServer) => { kills.push({ host: s.host, at: Date.now() }); s.kill(); };
  const gone = (s: KillableServer) => until(`${s.host} removed`, 6000, async () => ((await table(s.host)) ? undefined : true));
  const settle = () => new Promise((r) => setTimeout(r, 400));

  await settle();
  kill(c!);
  await gone(c!);
  kill(b!);
  await gone(b!);
  await settle();
  t.notOk(await table(sorry!.host), 'live weight 2 is not below quorum − hysteresis: no sorry server');
  kill(a!);
  kill(d!);
  await until('sorry server in', 6000, async () => ((await table(sorry!.host)) ? true : undefined));
  await settle();
  await a!.revive();
  await until('A back', 3000, async () => ((await view.health())[0]!.realServers[0]!.alive ? true : undefined));
  await settle();
  t.ok(await table(sorry!.host), 'live weight 2 is below quorum + hysteresis: the sorry server stays');
  t.same((await view.dests()).filter((x) => x.startsWith(a!.host)), [], 'and A stays out while the sorry server stands in');
  t.ok((await view.dests()).includes(`${S2} w1`), 'sorry_server_inhibit: weight 1 while D is down');
  await b!.revive();
  await d!.revive();
  await until('sorry server out', 4000, async () => ((await table(sorry!.host)) ? undefined : true));
  await until('inhibited sorry back to 0', 4000, async () => ((await view.dests()).includes(`${S2} w0`) ? true : undefined));
  await settle();
  stop = true;
  await loop;

  const changes = appliedChanges(dm.log());
  const at = (re: RegExp) => changes.filter((x) => re.test(x.change)).map((x) => x.time);
  const sorryIn = at(new RegExp(`add-dest tcp:${VIP}:${vport} ${sorry!.host}:`))[0]!;
  const sorryOut = at(new RegExp(`del-dest tcp:${VIP}:${vport} ${sorry!.host}:`))[0]!;
  t.ok(sorryIn !== undefined && sorryOut !== undefined && sorryIn < sorryOut, 'the sorry server went in once and out once');
  const bySorry = reqs.filter((r) => r.who === sorry!.host);
  t.ok(bySorry.length > 10, `the sorry server answered (${bySorry.length} requests)`);
  t.same(bySorry.filter((r) => r.end < sorryIn || r.start > sorryOut + EDGE_MS), [], 'only while it was in the table');
  const realDuring = reqs.filter((r) => r.who !== null && r.who !== sorry!.host && r.start > sorryIn + EDGE_MS && r.end < sorryOut);
  t.same(realDuring, [], 'no real server answered while the quorum was down');
  t.ok(reqs.filter((r) => r.start > sorryOut + EDGE_MS && (r.who === a!.host || r.who === b!.host)).length > 5, 'A and B answer after quorum is regained');

  // A failed request must overlap a killed server's time between its death and its removal.
  const removed = (host: string) => at(new RegExp(`del-dest tcp:${VIP}:${vport} ${host}:`))[0] ?? sorryIn;
  const windows = kills.map((k) => ({ from: k.at, to: removed(k.host) + EDGE_MS }));
  const failed = reqs.filter((r) => r.who === null);
  t.same(failed.filter((r) => !windows.some((w) => r.end >= w.from && r.start <= w.to)), [], `no failure outside the windows between a death and its removal (${failed.length} failed in them, ${reqs.length} requests)`);
  t.equal(dm.proc.exitCode, null, 'lvsd still runs');
});
