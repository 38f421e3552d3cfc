import t from 'tap';
import { runKernelScenarios, selectedScenarios, staleBuild, type KernelRun } from '../../src/testing/kernel/host.js';
import { canRunUml, UmlError } from '../../src/testing/uml.js';

// The kernel tier: one user-mode Linux boot per run, every scenario of src/testing/kernel/scenarios.ts
// inside it, then each scenario's own host-side check on what the guest returned.
// LVSD_KERNEL_SCENARIOS=a,b runs a subset; LVSD_UML_KEEP=1 keeps the guest's work directory.

const chosen = selectedScenarios();
// Stop the guest well before tap's per-file timeout (TAP_TIMEOUT, seconds) kills this process.
const tapTimeoutMs = Number(process.env.TAP_TIMEOUT ?? 0) * 1000;
const maxBootMs = tapTimeoutMs > 0 ? Math.max(tapTimeoutMs - 15_000, 10_000) : Infinity;
const unavailable = canRunUml();
let booted: KernelRun | undefined;
let skip: string | false = unavailable ? `kernel tier skipped: ${unavailable}` : false;
let bootError: unknown;

if (!skip) {
  const stale = staleBuild();
  if (stale) bootError = new Error(stale);
  else {
    try {
      booted = await runKernelScenarios(chosen, maxBootMs);
    } catch (e) {
      if (e instanceof UmlError && e.environmental) skip = `kernel tier skipped: ${e.message}`;
      else bootError = e;
    }
  }
}
// As a plain stdout line: tap's default (terse) reporter prints neither skip reasons nor TAP comments, but
// it does print non-TAP output.
if (skip) process.stdout.write(`${skip}\n`);

t.test('user-mode Linux boots and runs the scenarios', { skip }, async (t) => {
  if (bootError !== undefined || booted === undefined) {
    const tail = bootError instanceof UmlError ? `\n${bootError.consoleTail}` : '';
    t.fail(`${bootError instanceof Error ? bootError.message : String(bootError)}${tail}`);
    return;
  }
  const run = booted;
  t.equal(run.uml.timedOut, false, `the guest finished in time (${run.uml.durationMs} ms)`);
  t.same(run.uml.modulesFailed, [], `every module loaded ${run.uml.files.get('_boot/modprobe.err') ?? ''}`);
  t.comment(`one boot ran ${chosen.length} scenario(s) in ${run.uml.durationMs} ms`);
  for (const s of chosen) {
    t.test(s.name, async (t) => {
      const r = run.results.get(s.name);
      if (!r) {
        t.fail(`the guest wrote no result for ${s.name}; console tail:\n${run.uml.console.split('\n').slice(-30).join('\n')}`);
        return;
      }
      if (!r.ok) {
        t.fail(`${s.name} failed inside the guest after ${r.durationMs} ms: ${r.error}`);
        return;
      }
      s.check(t, r.data, run.filesOf(s.name));
    });
  }
});
