// The runner's lateness figures (bench/health-checks.ts reads them from the stop line): each attempt's start is
// measured against the due time it was armed for, through the Clock, so a clock that fires timers late (an event
// loop that stalls) shows as late checks and one that fires on time shows none.
import t from 'tap';
import type { Clock, TimerHandle } from '../../../src/ports/clock.js';
import { HealthRunner } from '../../../src/health/runner.js';
import { Lateness, LATE_MS } from '../../../src/health/lateness.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { config, fixedRandom, Recorder, ScriptedPeers } from './fixtures/peers.js';

/** A FakeClock whose timers fire `lag` ms after they were due, as under a busy event loop. */
class LaggingClock implements Clock {
  lag = 0;
  constructor(readonly fake: FakeClock) {}
  now(): number {
    return this.fake.now();
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    return this.fake.setTimer(ms + this.lag, fn);
  }
  clearTimer(h: TimerHandle): void {
    this.fake.clearTimer(h);
  }
}

const SERVERS = 20;
const conf = config(`
virtual_server 10.0.0.1 80 {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop 1
${Array.from({ length: SERVERS }, (_, i) => `  real_server 10.0.1.${i + 1} 80 {\n    TCP_CHECK {\n      warmup 0\n    }\n  }`).join('\n')}
}
`);

t.test('Lateness counts starts more than LATE_MS after due and keeps the worst', async (t) => {
  const l = new Lateness();
  l.note(1000, 1000);
  l.note(1000, 1000 + LATE_MS);
  l.note(2000, 2000 + LATE_MS + 1);
  l.note(3000, 3250);
  t.same(l.figures(), { started: 4, late: 2, worstMs: 250 });
});

t.test('checks on time count none late; a lagging clock counts exactly the lagged ones', async (t) => {
  const fake = new FakeClock();
  const clock = new LaggingClock(fake);
  const rec = new Recorder(fake);
  const runner = new HealthRunner(conf, { clock, prober: new ScriptedPeers(fake), random: fixedRandom(0), sink: rec.sink });
  runner.start();
  await fake.advanceAsync(10_500);
  const onTime = runner.timing();
  // bootstrap at 1 s, then one attempt a second: 10 per server by 10.5 s.
  t.equal(onTime.started, SERVERS * 10, 'every attempt was counted');
  t.equal(onTime.late, 0, 'none late on a clock that fires on time');
  t.equal(onTime.worstMs, 0);

  clock.lag = LATE_MS + 50;
  // Timers armed from now on fire 150 ms late: each server's next attempt is late, then the lag stops.
  await fake.advanceAsync(1_000);
  clock.lag = 0;
  await fake.advanceAsync(5_000);
  const after = runner.timing();
  t.equal(after.late, SERVERS, 'one late start per server armed while the clock lagged');
  t.equal(after.worstMs, LATE_MS + 50, 'the worst lateness is the lag');
  t.ok(after.started > onTime.started + SERVERS * 4, 'attempts went on after the lag');

  runner.stop();
  const line = rec.events.find(({ e }) => e.kind === 'log' && e.msg === 'checker timing');
  t.match(line?.e, { kind: 'log', fields: { started: after.started, late: SERVERS, worstLateMs: LATE_MS + 50 } }, 'stop logs the figures');
});
