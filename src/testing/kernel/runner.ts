import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { resultFile, writeDurable, type Scenario, type ScenarioContext, type ScenarioResult } from './scenario.js';
import { scenarios } from './scenarios.js';

/**
 * Guest-side entry point: `node runner.js RESULTS_DIR [NAME...]` inside user-mode Linux runs the named
 * scenarios (all when none are named) one after another, each bounded by its budget, and writes
 * RESULTS_DIR/<name>.json for each. Exits 0 when every scenario ran and passed its own checks.
 */

async function runOne(s: Scenario, results: string): Promise<ScenarioResult> {
  const dir = path.join(results, s.name);
  const started = Date.now();
  const cleanups: Array<() => void> = [];
  const ctx: ScenarioContext = {
    dir,
    deadline: started + s.budgetMs,
    defer: (fn) => { cleanups.push(fn); },
    log: (m) => { process.stdout.write(`[${s.name}] ${m}\n`); },
  };
  let timer: NodeJS.Timeout | undefined;
  const overtime = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`over its ${s.budgetMs} ms budget`)), s.budgetMs);
  });
  let result: Pick<ScenarioResult, 'ok' | 'data' | 'error'>;
  try {
    result = { ok: true, data: await Promise.race([s.run(ctx), overtime]) };
  } catch (e) {
    result = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  } finally {
    clearTimeout(timer);
    for (const fn of cleanups.reverse()) {
      try { fn(); } catch (e) { ctx.log(`cleanup failed: ${(e as Error).message}`); }
    }
  }
  return { name: s.name, durationMs: Date.now() - started, files: listFiles(dir), ...result };
}

function listFiles(dir: string, prefix = ''): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.flatMap((n) => {
    const rel = prefix ? `${prefix}/${n}` : n;
    return statSync(path.join(dir, n)).isDirectory() ? listFiles(path.join(dir, n), rel) : [rel];
  });
}

async function main(): Promise<number> {
  const [results, ...names] = process.argv.slice(2);
  if (!results) {
    process.stderr.write('usage: runner.js RESULTS_DIR [SCENARIO...]\n');
    return 2;
  }
  const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`runner: unknown scenario(s): ${unknown.join(', ')}\n`);
    return 2;
  }
  let failed = 0;
  for (const s of scenarios.filter((x) => names.length === 0 || names.includes(x.name))) {
    const r = await runOne(s, results);
    writeDurable(path.join(results, resultFile(s.name)), `${JSON.stringify(r, null, 2)}\n`);
    process.stdout.write(`scenario ${s.name}: ${r.ok ? 'ok' : 'FAILED'} (${r.durationMs} ms)${r.ok ? '' : `\n${r.error}`}\n`);
    if (!r.ok) failed++;
  }
  return failed === 0 ? 0 : 1;
}

// Exit explicitly: a scenario abandoned at its budget may still hold handles (sockets, children).
main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`runner: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
