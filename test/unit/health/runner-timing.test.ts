// The real-server state machine's timing on a fake clock, against the windows the end-to-end tests assert:
// down within delay_loop + retry × (delay_before_retry + connect_timeout) + connect_timeout of the peer failing,
// up within one delay_loop of it returning. The peer's answers are scripted here (see fixtures/peers.ts for why).
import t from 'tap';
import { HealthRunner } from '../../../src/health/runner.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { config, fixedRandom, Recorder, ScriptedPeers, type PeerState } from './fixtures/peers.js';

const DELAY_LOOP = 10;
const RETRY = 2;
const DBR = 3;
const CT = 5;
const DOWN_WINDOW = (DELAY_LOOP + RETRY * (DBR + CT) + CT) * 1000;
const UP_WINDOW = DELAY_LOOP * 1000;

const conf = config(`
virtual_server 10.0.0.1 80 {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop ${DELAY_LOOP}
  real_server 10.0.1.1 80 {
    TCP_CHECK {
      connect_timeout ${CT}
      retry ${RETRY}
      delay_before_retry ${DBR}
      warmup 0
    }
  }
}
`);
const PEER = '10.0.1.1:80';

async function started() {
  const clock = new FakeClock();
  const peers = new ScriptedPeers(clock);
  const rec = new Recorder(clock);
  const runner = new HealthRunner(conf, { clock, prober: peers, random: fixedRandom(0), sink: rec.sink });
  runner.start();
  rec.clear(); // the start's own "VS … UP" line is pinned in service.test.ts
  await clock.advanceAsync(30_000);
  return { clock, peers, rec, runner };
}

for (const failure of ['silent', 'refused'] as PeerState[]) {
  t.test(`a ${failure} peer goes down within the window, wherever in the loop it fails`, async (t) => {
    // Offsets from the last successful attempt; 0 is the worst case (a whole delay_loop before the next try).
    for (const offset of [0, 1, 2_500, 5_000, 9_999]) {
      const { clock, peers, rec, runner } = await started();
      const lastOk = peers.calls.at(-1)!.at;
      await clock.advanceAsync(lastOk + offset - clock.now() + (clock.now() > lastOk + offset ? DELAY_LOOP * 1000 : 0));
      const failedAt = clock.now();
      peers.set(PEER, failure);
      await clock.advanceAsync(DOWN_WINDOW + 1_000);
      const down = rec.when(/^RS \[10\.0\.1\.1\]:tcp:80 \[10\.0\.0\.1\]:tcp:80 DOWN$/);
      t.ok(down !== null, `offset ${offset}: went down`);
      const took = down! - failedAt;
      const attempts = failure === 'silent' ? (RETRY + 1) * CT + RETRY * DBR : RETRY * DBR;
      t.ok(took <= DOWN_WINDOW, `offset ${offset}: down after ${took} ms ≤ ${DOWN_WINDOW}`);
      t.ok(took >= attempts, `offset ${offset}: not before retry attempts (${took} ≥ ${attempts})`);
      if (offset === 0 && failure === 'silent') t.equal(took, DOWN_WINDOW, 'the worst case is exactly the window');
      t.match(runner.realServer(conf.virtualServers[0]!, conf.virtualServers[0]!.realServers[0]!), { alive: false }, 'the view reads down');
      runner.stop();
    }
  });

  t.test(`a ${failure} peer that returns is up within one delay_loop`, async (t) => {
    for (const offset of [0, 1, 3_000, 7_000, 9_999, 12_000]) {
      const { clock, peers, rec, runner } = await started();
      peers.set(PEER, failure);
      await clock.advanceAsync(DOWN_WINDOW + offset);
      t.ok(rec.when(/ DOWN$/) !== null, 'down first');
      const back = clock.now();
      peers.set(PEER, 'up');
      await clock.advanceAsync(UP_WINDOW + 1);
      const up = rec.when(/^RS .* UP$/, back);
      t.ok(up !== null && up - back <= UP_WINDOW, `offset ${offset}: up after ${up === null ? 'never' : up - back} ms ≤ ${UP_WINDOW}`);
      runner.stop();
    }
  });
}

t.test('a failure is retried retry times, delay_before_retry apart, then the loop resumes', async (t) => {
  const { clock, peers, runner } = await started();
  const from = peers.calls.length;
  const t0 = peers.calls.at(-1)!.at;
  peers.set(PEER, 'refused');
  await clock.advanceAsync(60_000);
  const gaps = peers.calls.slice(from - 1).map((c, i, a) => (i ? c.at - a[i - 1]!.at : 0)).slice(1);
  // loop, then RETRY retries DBR apart, then (down) every delay_loop.
  t.same(gaps.slice(0, 5), [DELAY_LOOP * 1000, DBR * 1000, DBR * 1000, DELAY_LOOP * 1000, DELAY_LOOP * 1000]);
  t.ok(t0 >= 0);
  runner.stop();
});

t.test('one success after a failed attempt keeps the server up and resets the retries', async (t) => {
  const { clock, peers, rec, runner } = await started();
  const step = () => clock.advanceAsync(clock.nextDue()! - clock.now());
  peers.set(PEER, 'refused');
  await step(); // the loop's attempt fails: 1 of 3
  peers.set(PEER, 'up');
  await step(); // the retry succeeds
  peers.set(PEER, 'refused');
  await step(); // next loop fails: 1 of 3 again
  await step(); // first retry fails: 2 of 3
  t.same(rec.fifo(), [], 'no transition');
  await step();
  t.same(rec.fifo(), ['RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN', 'VS [10.0.0.1]:tcp:80 DOWN'], 'the third failure in a row takes it down, and the quorum with it');
  runner.stop();
});
