// The health snapshot the control socket answers with, and log_all_failures' lines during retries
// (peers scripted, see fixtures/peers.ts for why).
import t from 'tap';
import { HealthRunner } from '../../../src/health/runner.js';
import { healthSnapshot } from '../../../src/health/snapshot.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { config, fixedRandom, Recorder, ScriptedPeers } from './fixtures/peers.js';

const cfg = config(`virtual_server 10.0.0.1 80 {
 lb_algo rr
 lb_kind NAT
 protocol TCP
 delay_loop 10
 quorum 2
 real_server 10.0.1.1 80 {
  weight 2
  TCP_CHECK {
   warmup 0
   retry 2
   log_all_failures
  }
 }
}
`);

t.test('snapshot: service, real server and checker state with the last result and transition time', async (t) => {
  const clock = new FakeClock();
  const peers = new ScriptedPeers(clock);
  const rec = new Recorder(clock);
  const runner = new HealthRunner(cfg, { clock, prober: peers, random: fixedRandom(0), sink: rec.sink });
  runner.start();
  t.match(healthSnapshot(runner.services()), [{ name: '[10.0.0.1]:tcp:80', quorumUp: true, liveWeight: 2, realServers: [{ alive: true, checkers: [{ hasRun: false, last: null }] }] }]);
  peers.set('10.0.1.1:80', 'refused');
  await clock.advanceAsync(1_000);
  t.match(healthSnapshot(runner.services()), [{ realServers: [{ alive: true, checkers: [{ up: true, hasRun: true, retries: 1, last: { up: false, reason: 'refused' } }] }] }]);
  await clock.advanceAsync(2_000);
  t.same(healthSnapshot(runner.services()), [{
    name: '[10.0.0.1]:tcp:80', quorumUp: false, liveWeight: 0, quorum: 2, hysteresis: 0,
    realServers: [{
      name: '[10.0.1.1]:tcp:80', alive: false, configuredWeight: 2, weight: 2, lastChange: 3_000,
      checkers: [{ type: 'TCP_CHECK', file: 'test.conf', line: 9, up: false, hasRun: true, retries: 0, weight: null, last: { up: false, reason: 'refused', detail: 'ECONNREFUSED' }, lastChange: 3_000 }],
    }],
  }]);
  t.same(rec.logs().filter((l) => l.startsWith('TCP_CHECK')), [
    'TCP_CHECK on service [10.0.1.1]:tcp:80 of VS [10.0.0.1]:tcp:80 failed, will do 2 retries: refused (ECONNREFUSED)',
    'TCP_CHECK on service [10.0.1.1]:tcp:80 of VS [10.0.0.1]:tcp:80 failed on retry 1/2: refused (ECONNREFUSED)',
    'TCP_CHECK on service [10.0.1.1]:tcp:80 of VS [10.0.0.1]:tcp:80 failed after 2 retries: refused (ECONNREFUSED)',
  ], 'log_all_failures: every failed attempt, worded as check_misc.c does');
  runner.stop();
});
