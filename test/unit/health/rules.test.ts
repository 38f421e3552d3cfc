// The pure rules: one attempt's step (check_tcp.c tcp_epilog), quorum with hysteresis (ipwrapper.c), FILE_CHECK
// values (track_file.c).
import t from 'tap';
import { initialCheckerState, stepChecker, type CheckerState } from '../../../src/health/checker-state.js';
import { fileVerdict, parseTrackFileValue } from '../../../src/health/checkers/file.js';
import { initialQuorum, stepQuorum } from '../../../src/health/quorum.js';
import type { FileCheck } from '../../../src/model/config.js';
import type { ProbeResult } from '../../../src/ports/prober.js';

const ok: ProbeResult = { up: true, detail: 'ok' };
const bad: ProbeResult = { up: false, reason: 'refused', detail: 'ECONNREFUSED' };

function walk(s: CheckerState, results: ProbeResult[], retry: number) {
  return results.map((r) => {
    const step = stepChecker(s, r, retry);
    s = step.state;
    return `${step.decided ?? '-'}${step.retryNext ? 'R' : ''}`;
  });
}

t.test('retry failures before down, one success up', async (t) => {
  t.same(walk(initialCheckerState(false), [ok, bad, bad, bad, bad, ok, bad, ok, bad], 2), ['up', '-R', '-R', 'down', '-', 'up', '-R', '-', '-R']);
  t.same(walk(initialCheckerState(false), [bad, bad], 0), ['down', '-'], 'retry 0: the first failure');
  t.same(walk(initialCheckerState(false), [bad, bad, ok], 1), ['-R', 'down', 'up'], 'non-alpha starts up: its first failure is retried');
});

t.test('alpha starts down; a first failure with retries left decides nothing', async (t) => {
  t.same(walk(initialCheckerState(true), [bad, bad, ok], 1), ['-', '-', 'up']);
  t.same(walk(initialCheckerState(true), [bad], 0), ['down'], 'retry 0: confirmed down at once');
});

t.test('misc_dynamic weight follows successes and is dropped when down', async (t) => {
  let s = stepChecker(initialCheckerState(false), { up: true, detail: 'exit 12', weight: 10 }, 0).state;
  t.equal(s.dynamicWeight, 10);
  s = stepChecker(s, bad, 0).state;
  t.equal(s.dynamicWeight, null);
});

t.test('quorum: gained at quorum + hysteresis, lost below quorum − hysteresis or at zero', async (t) => {
  t.ok(initialQuorum(4, 3, 1));
  t.notOk(initialQuorum(3, 3, 1));
  t.ok(stepQuorum(true, 2, 3, 1), 'up holds at q − h');
  t.notOk(stepQuorum(true, 1, 3, 1));
  t.notOk(stepQuorum(false, 3, 3, 1), 'down holds below q + h');
  t.ok(stepQuorum(false, 4, 3, 1));
  t.notOk(stepQuorum(true, 0, 0, 0), 'no live weight at all loses quorum even with quorum 0');
});

t.test('track_file values as C strtol(…, 0) reads them', async (t) => {
  const cases: [string | null, number | null][] = [
    [null, 0], ['', 0], ['5\n', 5], ['  -12 apples', -12], ['0x1F', 31], ['010', 8], ['08', 0], ['0x', 0], ['junk', 0],
    ['+7', 7], ['2147483648', 2147483648], ['2147483649', null], ['-2147483649', null],
  ];
  for (const [text, want] of cases) t.equal(parseTrackFileValue(text), want, JSON.stringify(text));
});

t.test('FILE_CHECK verdicts', async (t) => {
  const fc = (weight: number, reverse = false): FileCheck => ({ type: 'FILE_CHECK', loc: { file: 'x', line: 1 }, trackFile: 'f', weight, reverse });
  t.same(fileVerdict(fc(0), 0), { up: true, weight: 0 });
  t.same(fileVerdict(fc(0), 3), { up: false, weight: 0 }, 'weight 0: non-zero is a failure');
  t.same(fileVerdict(fc(0, true), 0), { up: false, weight: 0 }, 'reverse: zero is a failure');
  t.same(fileVerdict(fc(0, true), 1), { up: true, weight: 0 });
  t.same(fileVerdict(fc(5), 3), { up: true, weight: 15 });
  t.same(fileVerdict(fc(5, true), 3), { up: true, weight: -15 });
  t.same(fileVerdict(fc(254), -2147483648), { up: false, weight: 0 }, 'at INT_MIN: IPVS_WEIGHT_FAULT');
});
