// Reload keeps the state of unchanged checkers (keepalived check/ipwrapper.c migrate_checkers); peers scripted
// (see fixtures/peers.ts for why).
import t from 'tap';
import { HealthRunner } from '../../../src/health/runner.js';
import { checkerIdentity, sameChecker } from '../../../src/health/identity.js';
import { desiredTable } from '../../../src/reconcile/desired.js';
import type { KeepalivedConfig } from '../../../src/model/config.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { config, fixedRandom, Recorder, ScriptedPeers } from './fixtures/peers.js';

const text = (ct = 1, extraRs = '') => `virtual_server 10.0.0.1 80 {
 lb_algo rr
 lb_kind NAT
 protocol TCP
 delay_loop 10
 real_server 10.0.1.1 80 {
  TCP_CHECK {
   warmup 0
   retry 2
   connect_timeout ${ct}
  }
 }
 real_server 10.0.1.2 80 {
  TCP_CHECK {
   warmup 0
   retry 0
  }
 }
${extraRs}
}
`;

function run(cfg: KeepalivedConfig) {
  const clock = new FakeClock();
  const peers = new ScriptedPeers(clock);
  const rec = new Recorder(clock);
  const runner = new HealthRunner(cfg, { clock, prober: peers, random: fixedRandom(0.25), sink: rec.sink });
  runner.start();
  rec.clear(); // the start's own "VS … UP" line is pinned in service.test.ts
  const step = () => clock.advanceAsync(clock.nextDue()! - clock.now());
  return { clock, peers, rec, runner, step };
}

t.test('an unchanged configuration re-read keeps every state and counter and says nothing', async (t) => {
  const { clock, peers, rec, runner, step } = run(config(text()));
  peers.set('10.0.1.2:80', 'refused');
  await clock.advanceAsync(1_000);
  peers.set('10.0.1.1:80', 'refused');
  await clock.advanceAsync(10_000); // 10.0.1.1: the loop's attempt failed, 2 retries to go
  rec.clear();
  const again = config(text());
  runner.reload(again);
  t.same(rec.events, [], 'no transition, no event');
  const dests = () => desiredTable(again, runner).services[0]!.dests.map((d) => d.addr.text);
  t.same(dests(), ['10.0.1.1'], '10.0.1.2 stays down');
  await step(); // first retry fails
  t.same(rec.fifo(), []);
  await step(); // second retry fails: the count went on across the reload
  t.same(rec.fifo(), ['RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN', 'VS [10.0.0.1]:tcp:80 DOWN']);
  runner.stop();
});

t.test('a changed checker starts afresh: as migrate_checkers, up until it fails once', async (t) => {
  const { clock, peers, rec, runner } = run(config(text()));
  peers.set('10.0.1.1:80', 'refused');
  await clock.advanceAsync(1_000 + 2 * 1_000 + 100); // down after 2 retries, 1 s apart
  t.equal(rec.fifo()[0], 'RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN');
  rec.clear();
  const changed = config(text(3));
  runner.reload(changed);
  // keepalived: no failed checker is left on the server, so it "needs to be up"; the new checker gets retry_it = retry.
  t.same(rec.fifo(), ['RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 UP']);
  const calls = peers.calls.length;
  await clock.advanceAsync(1_000 + 2_500); // its first attempt after bootstrap + warmup (10 s × 0.25)
  t.equal(peers.calls.length, calls + 1, 'the new checker was scheduled as new ones are');
  t.same(rec.fifo().at(-1), 'RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN', 'one failure was enough despite retry 2');
  t.same(desiredTable(changed, runner).services[0]!.dests.map((d) => d.addr.text), ['10.0.1.2']);
  peers.set('10.0.1.1:80', 'up');
  await clock.advanceAsync(10_000);
  t.same(rec.fifo().at(-1), 'RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 UP');
  runner.stop();
});

t.test('a real server added by reload starts as at start; one removed is notified down', async (t) => {
  const extra = ' real_server 10.0.1.3 80 {\n  notify_down "/bin/gone"\n  TCP_CHECK {\n   warmup 0\n  }\n }';
  const { rec, runner } = run(config(text(1, extra)));
  runner.reload(config(text()));
  t.same(rec.fifo(), ['RS [10.0.1.3]:tcp:80 [10.0.0.1]:tcp:80 DOWN']);
  t.same(rec.scripts(), ['notify_down /bin/gone']);
  rec.clear();
  const back = config(text(1, extra));
  runner.reload(back);
  t.same(rec.fifo(), []);
  t.ok(runner.realServer(back.virtualServers[0]!, back.virtualServers[0]!.realServers[2]!).alive, 'non-alpha: up until proven down');
  runner.stop();
});

t.test('checker identity: every field but the source line', async (t) => {
  const a = config(text()).virtualServers[0]!.realServers[0]!.checkers[0]!;
  const moved = config(`\n\n${text()}`).virtualServers[0]!.realServers[0]!.checkers[0]!;
  t.not(a.loc.line, moved.loc.line);
  t.ok(sameChecker(a, moved), 'a moved line is the same checker');
  t.notOk(sameChecker(a, config(text(2)).virtualServers[0]!.realServers[0]!.checkers[0]!), 'connect_timeout differs');
  // A field the model gains later takes part without being listed anywhere.
  t.not(checkerIdentity(a), checkerIdentity(Object.assign({ futureField: 1 }, a)));
});

t.test('a reload that raises the quorum re-judges it with the live weight kept', async (t) => {
  const withQuorum = (q: number) => text().replace(' delay_loop 10\n', ` delay_loop 10\n quorum ${q}\n`);
  const { clock, peers, rec, runner } = run(config(withQuorum(1)));
  peers.set('10.0.1.2:80', 'refused');
  await clock.advanceAsync(1_000);
  t.same(rec.fifo(), ['RS [10.0.1.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN'], 'quorum 1 still held with one server');
  rec.clear();
  const raised = config(withQuorum(2));
  runner.reload(raised);
  t.same(rec.fifo(), ['VS [10.0.0.1]:tcp:80 DOWN'], 'live weight 1 < quorum 2');
  t.notOk(runner.quorumUp(raised.virtualServers[0]!));
  runner.stop();
});
