// The script runner with real processes: timeouts kill the whole process group, output is bounded, scripts that
// cannot run say why, the concurrency cap holds, and an abort ends a script.
import t from 'tap';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessScriptRunner } from '../../../src/platform/script-runner.js';
import type { ScriptSpec } from '../../../src/model/config.js';

const dir = mkdtempSync(join(tmpdir(), 'lvsd-scripts-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string, mode = 0o755): ScriptSpec {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, mode);
  return { argv: [p], user: null, group: null };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pids: number[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (pids.every((p) => !alive(p))) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

t.test('a script that forks a child and never exits: both killed at the timeout', async (t) => {
  const pids = join(dir, 'pids');
  const s = script('hang.sh', `sleep 60 &\necho "$$ $!" > "$1"\necho started\nsleep 60`);
  const started = Date.now();
  const r = await new ProcessScriptRunner().run(s, [pids], 500);
  const took = Date.now() - started;
  t.equal(r.timedOut, true);
  t.equal(r.exitCode, null);
  t.equal(r.signal, 'SIGTERM');
  t.match(r.output, /started/);
  t.ok(took >= 500 && took < 3_000, `ended ${took} ms after start`);
  const both = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
  t.equal(both.length, 2);
  t.ok(await gone(both, 2_000), `script ${both[0]} and its child ${both[1]} are gone`);
});

t.test('a script that ignores SIGTERM is killed after the grace', async (t) => {
  const s = script('stubborn.sh', `trap '' TERM\nwhile :; do sleep 0.05; done`);
  const started = Date.now();
  const r = await new ProcessScriptRunner({ killGraceMs: 300 }).run(s, [], 300);
  t.equal(r.timedOut, true);
  t.equal(r.signal, 'SIGKILL');
  t.ok(Date.now() - started < 2_000);
});

t.test('10 MB of output: kept up to 64 KiB, the rest counted', async (t) => {
  const s = script('loud.sh', `head -c 10000000 /dev/zero | tr '\\0' x\necho err >&2`);
  const before = process.memoryUsage().rss;
  const r = await new ProcessScriptRunner().run(s, [], 20_000);
  const grew = process.memoryUsage().rss - before;
  t.equal(r.exitCode, 0);
  t.ok(r.output.startsWith('x'.repeat(65536)));
  t.match(r.output, /\n\[lvsd: 9934468 more bytes of output not kept\]$/, '10000000 + 4 − 65536 dropped');
  t.ok(grew < 32 * 1024 * 1024, `rss grew ${grew} bytes`);
});

t.test('scripts that cannot run say why', async (t) => {
  const runner = new ProcessScriptRunner();
  const missing = await runner.run({ argv: [join(dir, 'nope.sh')], user: null, group: null }, [], 1_000);
  t.match(missing, { exitCode: null, error: /nope\.sh cannot be accessed: ENOENT/ });
  const plain = await runner.run(script('plain.sh', 'exit 0', 0o644), [], 1_000);
  t.match(plain, { exitCode: null, error: /plain\.sh is not executable by uid/ });
  const bare = await runner.run({ argv: ['lvsd-no-such-command'], user: null, group: null }, [], 1_000);
  t.match(bare, { error: /lvsd-no-such-command was not found in PATH/ });
  const empty = await runner.run({ argv: [], user: null, group: null }, [], 1_000);
  t.match(empty, { error: /no command/ });
});

t.test('argv goes to the script as written, with no shell between', async (t) => {
  const s = script('args.sh', 'for a in "$@"; do echo "<$a>"; done\nexit 3');
  const r = await new ProcessScriptRunner().run({ ...s, argv: [...s.argv, 'a b', '$HOME', '*'] }, ['extra'], 2_000);
  t.equal(r.exitCode, 3);
  t.equal(r.output, '<a b>\n<$HOME>\n<*>\n<extra>\n');
});

t.test('never more than maxConcurrent at once; the rest wait in order', async (t) => {
  const log = join(dir, 'overlap');
  writeFileSync(log, '');
  const s = script('slow.sh', 'echo s >> "$1"\nsleep 0.3\necho e >> "$1"');
  const runner = new ProcessScriptRunner({ maxConcurrent: 2 });
  const all = Promise.all(Array.from({ length: 5 }, () => runner.run(s, [log], 5_000)));
  // Each run looks its user up and vets its file before it asks for a slot: wait until all five have.
  for (let i = 0; i < 150 && runner.load.queued < 3; i++) await new Promise((r) => setTimeout(r, 10));
  t.same(runner.load, { running: 2, queued: 3 });
  const results = await all;
  t.ok(results.every((r) => r.exitCode === 0));
  let now = 0;
  let peak = 0;
  for (const l of readFileSync(log, 'utf8').trim().split('\n')) {
    now += l === 's' ? 1 : -1;
    peak = Math.max(peak, now);
  }
  t.equal(peak, 2);
});

t.test('an abort ends a running script and drops a queued one', async (t) => {
  const runner = new ProcessScriptRunner({ maxConcurrent: 1 });
  const ac = new AbortController();
  const s = script('long.sh', 'sleep 30');
  const first = runner.run(s, [], 30_000, ac.signal);
  const second = runner.run(s, [], 30_000, ac.signal);
  for (let i = 0; i < 100 && runner.load.queued === 0; i++) await new Promise((r) => setTimeout(r, 20));
  t.same(runner.load, { running: 1, queued: 1 });
  await new Promise((r) => setTimeout(r, 100)); // let the first one exec
  ac.abort();
  const [a, b] = await Promise.all([first, second]);
  t.match(a, { timedOut: false, signal: 'SIGTERM' });
  t.match(b, { exitCode: null, error: /cancelled before it started/ });
});
