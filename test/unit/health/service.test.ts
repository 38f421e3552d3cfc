// Virtual-server level: quorum with hysteresis, sorry server, notify scripts and FIFO lines, inhibit_on_failure,
// alpha, warmup, several checkers, omega, ha_suspend. Peers are scripted (see fixtures/peers.ts for why).
import t from 'tap';
import { HealthRunner } from '../../../src/health/runner.js';
import { desiredTable } from '../../../src/reconcile/desired.js';
import type { KeepalivedConfig } from '../../../src/model/config.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { config, fixedRandom, Recorder, ScriptedPeers } from './fixtures/peers.js';

const CHECK = 'TCP_CHECK {\n warmup 0\n retry 0\n connect_timeout 1\n }';
const rs = (n: number, extra = '', check = CHECK) =>
  `real_server 10.0.1.${n} 80 {\n weight 1\n notify_up "/bin/up ${n}"\n notify_down "/bin/down ${n}"\n ${extra}\n ${check}\n}`;
const vs = (body: string) => `virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n delay_loop 10\n${body}\n}\n`;

function run(cfg: KeepalivedConfig, opts: { random?: number; held?: () => boolean } = {}) {
  const clock = new FakeClock();
  const peers = new ScriptedPeers(clock);
  const rec = new Recorder(clock);
  const runner = new HealthRunner(cfg, {
    clock, prober: peers, random: fixedRandom(opts.random ?? 0), sink: rec.sink, ...(opts.held ? { vipHeld: opts.held } : {}),
  });
  runner.start();
  // What the start itself notifies (keepalived gains quorum at start: "VS … UP", quorum_up), kept apart so
  // each test below reads only what follows.
  const atStart = { fifo: rec.fifo(), scripts: rec.scripts() };
  rec.clear();
  const dests = () => desiredTable(cfg, runner).services[0]!.dests.map((d) => `${d.addr.text}:${d.weight}`);
  return { clock, peers, rec, runner, dests, atStart };
}

t.test('quorum with hysteresis, sorry server, and the scripts and FIFO lines in order', async (t) => {
  const cfg = config(vs(` quorum 3\n hysteresis 1\n quorum_up "/bin/qup"\n quorum_down "/bin/qdown"\n sorry_server 10.0.9.9 80\n${[1, 2, 3, 4].map((n) => rs(n)).join('\n')}`));
  const { clock, peers, rec, runner, dests, atStart } = run(cfg);
  t.same(atStart.fifo, ['VS [10.0.0.1]:tcp:80 UP'], 'the service gains quorum at start (update_quorum_state(vs, true))');
  t.same(atStart.scripts, ['quorum_up /bin/qup']);
  await clock.advanceAsync(1_000);
  t.same(rec.fifo(), [], 'all four up, quorum held: nothing more to notify');
  t.same(dests(), ['10.0.1.1:1', '10.0.1.2:1', '10.0.1.3:1', '10.0.1.4:1']);
  for (const n of [1, 2]) peers.set(`10.0.1.${n}:80`, 'refused');
  await clock.advanceAsync(10_000);
  t.ok(runner.quorumUp(cfg.virtualServers[0]!), 'live weight 2 is not below quorum − hysteresis (2): quorum kept');
  peers.set('10.0.1.3:80', 'refused');
  await clock.advanceAsync(10_000);
  t.notOk(runner.quorumUp(cfg.virtualServers[0]!), 'live weight 1 < 2: quorum lost');
  t.same(rec.fifo(), [
    'RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN', 'RS [10.0.1.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN',
    'RS [10.0.1.3]:tcp:80 [10.0.0.1]:tcp:80 DOWN', 'VS [10.0.0.1]:tcp:80 DOWN',
  ]);
  t.same(rec.scripts(), ['notify_down /bin/down 1', 'notify_down /bin/down 2', 'notify_down /bin/down 3', 'quorum_down /bin/qdown']);
  t.same(dests(), ['10.0.9.9:1'], 'the sorry server replaces the live real server');
  const logs = rec.logs();
  t.ok(logs.includes('TCP_CHECK on service [10.0.1.1]:tcp:80 of VS [10.0.0.1]:tcp:80 failed with retry disabled: refused (ECONNREFUSED)'), 'the log names checker and reason');
  t.ok(logs.includes('Lost quorum 3-1=2 > 1 for VS [10.0.0.1]:tcp:80') && logs.includes('Adding sorry server [10.0.9.9]:tcp:80 to VS [10.0.0.1]:tcp:80'));
  rec.clear();
  for (const n of [1, 2]) peers.set(`10.0.1.${n}:80`, 'up');
  await clock.advanceAsync(10_000);
  t.notOk(runner.quorumUp(cfg.virtualServers[0]!), 'live weight 3 < quorum + hysteresis (4): still down');
  t.same(dests(), ['10.0.9.9:1']);
  peers.set('10.0.1.3:80', 'up');
  await clock.advanceAsync(10_000);
  t.ok(runner.quorumUp(cfg.virtualServers[0]!), 'weight 4: quorum gained');
  t.same(rec.fifo().slice(-2), ['RS [10.0.1.3]:tcp:80 [10.0.0.1]:tcp:80 UP', 'VS [10.0.0.1]:tcp:80 UP']);
  t.same(rec.scripts().at(-1), 'quorum_up /bin/qup');
  t.same(dests(), ['10.0.1.1:1', '10.0.1.2:1', '10.0.1.3:1', '10.0.1.4:1'], 'sorry server gone, real servers back');
  runner.stop();
});

t.test('inhibit_on_failure keeps a failed server at weight 0; sorry_server_inhibit keeps the sorry server at 0', async (t) => {
  const cfg = config(vs(` sorry_server 10.0.9.9 80\n sorry_server_inhibit\n${rs(1, 'inhibit_on_failure')}\n${rs(2)}`));
  const { clock, peers, dests, runner, rec } = run(cfg);
  t.same(dests(), ['10.0.1.1:1', '10.0.1.2:1', '10.0.9.9:0']);
  peers.set('10.0.1.1:80', 'refused');
  await clock.advanceAsync(1_000);
  t.same(dests(), ['10.0.1.1:0', '10.0.1.2:1', '10.0.9.9:0']);
  t.ok(rec.logs().includes('Disabling service [10.0.1.1]:tcp:80 of VS [10.0.0.1]:tcp:80'), 'inhibit: disabling, not removing');
  peers.set('10.0.1.2:80', 'refused');
  await clock.advanceAsync(10_000);
  t.same(dests(), ['10.0.1.1:0', '10.0.9.9:1'], 'quorum lost: the sorry server at weight 1');
  runner.stop();
});

t.test('alpha: down until the first success; a first failure notifies the down state', async (t) => {
  const cfg = config(vs(` alpha\n${rs(1)}\n${rs(2)}`));
  const { clock, peers, rec, runner, dests } = run(cfg);
  t.same(dests(), [], 'nothing before the first check');
  t.notOk(runner.quorumUp(cfg.virtualServers[0]!));
  peers.set('10.0.1.2:80', 'refused');
  await clock.advanceAsync(1_000);
  t.same(dests(), ['10.0.1.1:1']);
  t.same(rec.fifo(), ['RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 UP', 'VS [10.0.0.1]:tcp:80 UP', 'RS [10.0.1.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN']);
  t.same(rec.scripts(), ['notify_up /bin/up 1', 'notify_down /bin/down 2']);
  runner.stop();
});

t.test('warmup: the first attempt waits one second plus a random part of warmup', async (t) => {
  const cfg = config(vs(rs(1, '', 'TCP_CHECK {\n warmup 8\n }')));
  const { clock, peers, runner } = run(cfg, { random: 0.5 });
  await clock.advanceAsync(4_999);
  t.equal(peers.calls.length, 0);
  await clock.advanceAsync(1);
  t.same(peers.calls.map((c) => c.at), [5_000], '1000 + 8000 × 0.5');
  runner.stop();
});

t.test('several checkers on one real server: down while any is down', async (t) => {
  const two = `${CHECK}\n TCP_CHECK {\n warmup 0\n retry 0\n connect_port 81\n }`;
  const cfg = config(vs(rs(1, '', two)));
  const { clock, peers, rec, runner, dests } = run(cfg);
  peers.set('10.0.1.1:81', 'refused');
  await clock.advanceAsync(1_000);
  t.same(dests(), []);
  t.same(rec.fifo(), ['RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN', 'VS [10.0.0.1]:tcp:80 DOWN']);
  peers.set('10.0.1.1:81', 'up');
  peers.set('10.0.1.1:80', 'refused');
  await clock.advanceAsync(10_000);
  t.same(dests(), [], 'the other checker is down now');
  t.equal(rec.fifo().length, 2, 'no flap between them');
  peers.set('10.0.1.1:80', 'up');
  await clock.advanceAsync(10_000);
  t.same(dests(), ['10.0.1.1:1']);
  runner.stop();
});

t.test('misc_dynamic sets the weight; FILE_CHECK adds value × weight; both leave with a failure', async (t) => {
  const text = `track_file tf {\n file /tmp/lvsd-never-read\n weight 2\n}\n` + vs(`real_server 10.0.1.1 80 {\n weight 5\n MISC_CHECK {\n misc_path "/bin/check"\n misc_dynamic\n warmup 0\n }\n FILE_CHECK {\n track_file tf\n }\n}`);
  const cfg = config(text);
  const { clock, peers, runner, dests } = run(cfg);
  t.same(dests(), ['10.0.1.1:5']);
  peers.weight.set('/bin/check', 7);
  await clock.advanceAsync(1_000);
  t.same(dests(), ['10.0.1.1:7'], 'exit 9: weight 7');
  runner.fileChanged('tf', 3);
  t.same(dests(), ['10.0.1.1:13'], '7 + 3 × 2');
  runner.fileChanged('tf', -10);
  t.same(dests(), ['10.0.1.1:0'], 'a negative sum programs 0 (real_weight)');
  peers.set('/bin/check', 'refused');
  runner.fileChanged('tf', 1);
  await clock.advanceAsync(10_000);
  t.same(dests(), [], 'the script failed: down');
  peers.set('/bin/check', 'up');
  peers.weight.delete('/bin/check');
  await clock.advanceAsync(10_000);
  t.same(dests(), ['10.0.1.1:7'], 'exit 0: the configured weight 5, + 1 × 2');
  runner.stop();
});

t.test('omega: stopping notifies live servers and the service down; without omega nothing', async (t) => {
  for (const omega of [true, false]) {
    const cfg = config(vs(`${omega ? ' omega\n' : ''} quorum_down "/bin/qdown"\n${rs(1)}`));
    const { rec, runner } = run(cfg);
    runner.stop();
    t.same(rec.scripts(), omega ? ['notify_down /bin/down 1', 'quorum_down /bin/qdown'] : [], `omega ${omega}`);
    t.same(rec.fifo(), omega ? ['RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN', 'VS [10.0.0.1]:tcp:80 DOWN'] : []);
    t.ok(rec.events.every(({ e }) => e.kind !== 'script' || e.stopping), 'marked as at stop');
  }
});

t.test('ha_suspend: no attempts while the VIP is not held', async (t) => {
  let held = false;
  const cfg = config(vs(` ha_suspend\n${rs(1)}`));
  const { clock, peers, runner } = run(cfg, { held: () => held });
  await clock.advanceAsync(30_000);
  t.equal(peers.calls.length, 0);
  held = true;
  await clock.advanceAsync(10_000);
  t.equal(peers.calls.length, 1, 'checks resume within a delay_loop');
  runner.stop();
});

t.test('FIFO names of fwmark and IPv6 services', async (t) => {
  const cfg = config(`virtual_server fwmark 7 {\n lb_algo rr\n lb_kind DR\n real_server 10.0.1.1 80 {\n ${CHECK}\n }\n}\nvirtual_server 2001:db8::1 443 {\n lb_algo rr\n lb_kind DR\n protocol TCP\n real_server 2001:db8::2 443 {\n ${CHECK}\n }\n}\n`);
  const { clock, peers, rec, runner } = run(cfg);
  peers.set('10.0.1.1:80', 'refused');
  peers.set('2001:db8::2:443', 'refused');
  await clock.advanceAsync(1_000);
  t.same(rec.fifo(), ['RS [10.0.1.1]:none:0 FWM 7 DOWN', 'VS FWM 7 DOWN', 'RS [2001:db8::2]:tcp:443 [2001:db8::1]:tcp:443 DOWN', 'VS [2001:db8::1]:tcp:443 DOWN']);
  runner.stop();
});

t.test('a prober that throws or answers a bad weight cannot break the state machine', async (t) => {
  const cfg = config(vs(rs(1)));
  const clock = new FakeClock();
  const rec = new Recorder(clock);
  let mode: 'throw' | 'nan' = 'nan';
  const prober = {
    probe: () => (mode === 'throw' ? Promise.reject(new Error('prober bug')) : Promise.resolve({ up: true as const, detail: 'odd', weight: Number.NaN })),
  };
  const runner = new HealthRunner(cfg, { clock, prober, random: fixedRandom(0), sink: rec.sink });
  runner.start();
  await clock.advanceAsync(1_000);
  t.same(desiredTable(cfg, runner).services[0]!.dests.map((d) => d.weight), [1], 'a weight that is no number is ignored');
  mode = 'throw';
  await clock.advanceAsync(10_000);
  t.ok(rec.logs().includes('TCP_CHECK on service [10.0.1.1]:tcp:80 of VS [10.0.0.1]:tcp:80 failed with retry disabled: error (prober bug)'));
  t.same(desiredTable(cfg, runner).services[0]!.dests, [], 'a rejected probe is a failed attempt');
  runner.stop();
});
