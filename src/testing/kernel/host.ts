import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repo.js';
import { bootUml, type UmlRun } from '../uml.js';
import { GUEST_NODE_FLAGS } from './guest-env.js';
import { resultFile, type Scenario, type ScenarioResult } from './scenario.js';
import { scenarios } from './scenarios.js';

/**
 * Host side of the kernel tier: boots user-mode Linux once, has the guest run the chosen scenarios from
 * the compiled tree (dist/), and hands back each scenario's result and files.
 */

/** Time to boot, load modules and start node in the guest, on top of the scenarios' own budgets. */
const BOOT_ALLOWANCE_MS = 30_000;

export interface KernelRun {
  uml: UmlRun;
  /** The result of each scenario that was asked for; a missing entry means the guest never wrote it. */
  results: ReadonlyMap<string, ScenarioResult>;
  /** The files a scenario wrote, keyed relative to its own directory. */
  filesOf(name: string): ReadonlyMap<string, string>;
}

/** The scenarios named in LVSD_KERNEL_SCENARIOS (comma-separated), or all of them. */
export function selectedScenarios(): readonly Scenario[] {
  const wanted = (process.env.LVSD_KERNEL_SCENARIOS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) return scenarios;
  const unknown = wanted.filter((w) => !scenarios.some((s) => s.name === w));
  if (unknown.length > 0) throw new Error(`LVSD_KERNEL_SCENARIOS names unknown scenario(s): ${unknown.join(', ')}`);
  return scenarios.filter((s) => wanted.includes(s.name));
}

/**
 * Why the guest would run stale code, or null. The guest runs dist/ (its scenarios, and whatever of src/
 * they start, such as lvsadm), which `npm test` builds first; a bare `npx tap test/kernel` after an edit
 * would otherwise test the previous build without saying so.
 */
export function staleBuild(): string | null {
  const root = repoRoot();
  const walk = (dir: string): string | null => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const src = path.join(dir, e.name);
      if (e.isDirectory()) {
        const r = walk(src);
        if (r) return r;
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const out = path.join(root, 'dist', path.relative(root, src)).replace(/\.ts$/, '.js');
        if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
          return `${path.relative(root, out)} is missing or older than its source; run \`npm run build\` first`;
        }
      }
    }
    return null;
  };
  return walk(path.join(root, 'src'));
}

/**
 * Boots once and runs `chosen` in the guest. The boot is bounded by the scenarios' budgets plus boot time,
 * and by maxMs when given: a caller with its own deadline (tap's per-file timeout) sets it below that,
 * so a hung guest still yields the results and console written so far instead of a killed test.
 */
export async function runKernelScenarios(chosen: readonly Scenario[], maxMs = Infinity): Promise<KernelRun> {
  const runner = path.join(repoRoot(), 'dist/src/testing/kernel/runner.js');
  const names = chosen.map((s) => s.name);
  const bad = names.find((n) => !/^[a-z0-9-]+$/.test(n));
  if (bad) throw new Error(`scenario name '${bad}' must be lowercase words and dashes`);
  const uml = await bootUml({
    script: `exec node ${GUEST_NODE_FLAGS.join(' ')} '${runner}' "$LVSD_UML_RESULTS" ${names.join(' ')}\n`,
    timeoutMs: Math.min(maxMs, BOOT_ALLOWANCE_MS + chosen.reduce((sum, s) => sum + s.budgetMs, 0)),
  });
  const results = new Map<string, ScenarioResult>();
  for (const name of names) {
    const text = uml.files.get(resultFile(name));
    if (text !== undefined) results.set(name, JSON.parse(text) as ScenarioResult);
  }
  return {
    uml,
    results,
    filesOf(name) {
      const prefix = `${name}/`;
      return new Map([...uml.files].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    },
  };
}
