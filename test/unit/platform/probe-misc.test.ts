// MISC_CHECK against real scripts: exit codes, misc_dynamic weights, misc_timeout; and the health runner on the
// system clock driving a real script through down and up.
import t from 'tap';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthRunner } from '../../../src/health/runner.js';
import type { HealthEvent } from '../../../src/health/events.js';
import type { MiscCheck } from '../../../src/model/config.js';
import { SystemClock } from '../../../src/platform/clock.js';
import { MiscProber } from '../../../src/platform/probe-misc.js';
import { systemRandom } from '../../../src/platform/random.js';
import { ProcessScriptRunner } from '../../../src/platform/script-runner.js';
import { config } from '../health/fixtures/peers.js';

const dir = mkdtempSync(join(tmpdir(), 'lvsd-misc-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const state = join(dir, 'state');
const path = join(dir, 'check.sh');
writeFileSync(path, `#!/bin/sh\nread code rest < "${state}"\necho "state $code"\n[ "$code" = sleep ] && sleep 30\nexit "$code"\n`);
chmodSync(path, 0o755);
const set = (v: string) => writeFileSync(state, `${v}\n`);

const misc = (dynamic: boolean, timeout = 2): MiscCheck => ({
  type: 'MISC_CHECK', loc: { file: 't', line: 1 }, alpha: false, retry: 0, delayBeforeRetry: 1, warmup: 0, delayLoop: 1,
  logAllFailures: false, script: { argv: [path], user: null, group: null }, timeout, dynamic,
});

t.test('exit codes as keepalived reads them', async (t) => {
  const p = new MiscProber(new ProcessScriptRunner());
  const probe = (c: MiscCheck) => p.probe(c, new AbortController().signal);
  set('0');
  t.same(await probe(misc(false)), { up: true, detail: 'exit 0: state 0' });
  set('1');
  t.same(await probe(misc(true)), { up: false, reason: 'exit', detail: 'exit 1: state 1' });
  set('12');
  t.same(await probe(misc(true)), { up: true, detail: 'exit 12: state 12', weight: 10 }, 'misc_dynamic: weight exit − 2');
  t.match(await probe(misc(false)), { up: false, reason: 'exit' }, 'without misc_dynamic 12 is a failure');
  set('sleep');
  t.match(await probe(misc(false, 1)), { up: false, reason: 'timeout', detail: /no exit within misc_timeout 1 s: state sleep/ });
  t.match(await p.probe({ ...misc(false), script: { argv: [join(dir, 'missing')], user: null, group: null } }, new AbortController().signal), { up: false, reason: 'error', detail: /cannot be accessed/ });
});

t.test('the runner on the system clock takes a real script down and up within the windows', async (t) => {
  set('0');
  const DELAY = 0.3;
  const DBR = 0.2;
  const TIMEOUT = 1;
  const cfg = config(`virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n real_server 10.0.1.1 80 {\n  MISC_CHECK {\n   misc_path "${path}"\n   misc_timeout ${TIMEOUT}\n   delay_loop ${DELAY}\n   retry 1\n   delay_before_retry ${DBR}\n   warmup 0\n  }\n }\n}\n`);
  const clock = new SystemClock();
  const seen: { at: number; e: HealthEvent }[] = [];
  const runner = new HealthRunner(cfg, { clock, prober: new MiscProber(new ProcessScriptRunner()), random: systemRandom(), sink: (e) => seen.push({ at: clock.now(), e }) });
  runner.start();
  t.teardown(() => runner.stop());
  const waitFor = async (line: string, ms: number) => {
    const until = clock.now() + ms;
    while (clock.now() < until) {
      const hit = seen.find(({ e }) => e.kind === 'fifo' && e.line === line);
      if (hit) return hit.at;
      await new Promise((r) => setTimeout(r, 20));
    }
    return null;
  };
  await new Promise((r) => setTimeout(r, 1_500)); // bootstrap second + a first success
  const failedAt = clock.now();
  set('1');
  const window = (DELAY + 1 * (DBR + TIMEOUT) + TIMEOUT) * 1000;
  const down = await waitFor('RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 DOWN', window + 2_000);
  t.ok(down !== null, 'went down');
  t.ok(down! - failedAt <= window + 500, `down after ${Math.round(down! - failedAt)} ms (window ${window} ms; 500 ms allowed for process start under load)`);
  const backAt = clock.now();
  set('0');
  const up = await waitFor('RS [10.0.1.1]:tcp:80 [10.0.0.1]:tcp:80 UP', DELAY * 1000 + 2_000);
  t.ok(up !== null && up - backAt <= DELAY * 1000 + 500, `up after ${up === null ? 'never' : Math.round(up - backAt)} ms (one delay_loop ${DELAY * 1000} ms + 500)`);
  t.ok(seen.some(({ e }) => e.kind === 'log' && /MISC_CHECK on service \[10\.0\.1\.1\]:tcp:80 of VS \[10\.0\.0\.1\]:tcp:80 failed after 1 retry: exit \(exit 1: state 1\)/.test(e.msg)), 'the log line names checker and reason');
});
