import { healthDiffScenario } from './health-diff.js';
import { httpScenarios } from './http-modes.js';
import { ipvsadmTableScenario } from './ipvsadm-table.js';
import { lvsdKernelScenario } from './lvsd-kernel.js';
import { lvsadmVersusIpvsadmScenario } from './lvsadm-vs-ipvsadm.js';
import type { Scenario } from './scenario.js';
import { tableRulesScenario } from './table-rules.js';
import { schedDiffScenario } from './sched-diff.js';

/**
 * Every kernel-tier scenario, in the order the guest runs them in its one boot.
 *
 * Adding one: write src/testing/kernel/<name>.ts exporting a Scenario<Data> whose run() does the guest side
 * (build namespaces with scenarioLab/Segment from lab.ts, start node programs with startProgram/runProgram,
 * which add the flags the guest needs, write any files under ctx.dir) and returns Data, and whose check()
 * asserts on Data and those files on the host; then list it here. test/kernel/ipvs.test.ts needs no change.
 * `npm run build && LVSD_KERNEL_SCENARIOS=<name> npx tap test/kernel` runs just that one.
 */
export const scenarios: readonly Scenario[] = [ipvsadmTableScenario, lvsadmVersusIpvsadmScenario, ...httpScenarios, lvsdKernelScenario, tableRulesScenario, schedDiffScenario, healthDiffScenario];
