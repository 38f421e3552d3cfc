import t from 'tap';
import type { ScriptRunner, ScriptResult } from '../../../src/ports/scripts.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { ScriptSchedule } from '../../../src/vrrp/script-schedule.js';
import { vrrpConf } from './fixtures/conf.js';

const result = (exitCode: number): ScriptResult => ({ exitCode, signal: null, timedOut: false, output: '', error: null });

/** A ScriptRunner whose scripts exit with the codes the test lines up, each after `ms` of Clock time. */
class Scripted implements ScriptRunner {
  readonly calls: Array<{ at: number; timeoutMs: number }> = [];
  constructor(private readonly clock: FakeClock, private readonly codes: number[], private readonly ms = 10) {}
  run(_s: unknown, _a: readonly string[], timeoutMs: number): Promise<ScriptResult> {
    this.calls.push({ at: this.clock.now(), timeoutMs });
    const code = this.codes.shift() ?? 0;
    return new Promise((resolve) => this.clock.setTimer(this.ms, () => resolve(result(code))));
  }
}

t.test('every interval, rise/fall applied, onChange on flips only', async (t) => {
  const clock = new FakeClock();
  const [s] = vrrpConf('vrrp_script chk {\n script "/bin/check"\n interval 2\n fall 2\n rise 2\n}\n').config.vrrpScripts;
  const runner = new Scripted(clock, [0, 0, 1, 1, 0, 0]);
  const seen: Array<[number, boolean | null]> = [];
  const sched = new ScriptSchedule(clock, runner, [s!], (v) => seen.push([clock.now(), v.get('chk') ?? null]));
  t.same([...sched.verdicts()], [['chk', null]]);
  sched.start();
  await clock.advanceAsync(11_000);
  sched.stop();
  t.same(runner.calls.map((c) => c.at), [0, 2000, 4000, 6000, 8000, 10_000]);
  t.ok(runner.calls.every((c) => c.timeoutMs === 2000), 'the timeout defaults to the interval');
  t.same(seen, [[10, true], [6010, false], [10_010, true]]);
  t.equal(clock.pending, 0, 'stop clears the timer');
});

t.test('a run still going when the next is due is skipped; a rejected run is a failure', async (t) => {
  const clock = new FakeClock();
  const [s] = vrrpConf('vrrp_script chk {\n script "/bin/check"\n interval 1\n}\n').config.vrrpScripts;
  const slow = new Scripted(clock, [0], 2500);
  const sched = new ScriptSchedule(clock, slow, [s!], () => undefined);
  sched.start();
  await clock.advanceAsync(3_200);
  t.same(slow.calls.map((c) => c.at), [0, 3000], 'runs at 1 s and 2 s skipped');
  sched.stop();
  const failing: ScriptRunner = { run: () => Promise.reject(new Error('cannot start')) };
  const verdicts: boolean[] = [];
  const other = new ScriptSchedule(clock, failing, [s!], (v) => verdicts.push(v.get('chk')!));
  other.start();
  await clock.advanceAsync(10);
  other.stop();
  t.same(verdicts, [false]);
});
