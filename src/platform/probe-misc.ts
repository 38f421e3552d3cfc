/** The MISC_CHECK prober: runs misc_path through the ScriptRunner, bounded by misc_timeout. */
import { miscResult } from '../health/checkers/misc.js';
import type { Prober, ProbeResult, TimedChecker } from '../ports/prober.js';
import type { ScriptRunner } from '../ports/scripts.js';

export class MiscProber implements Prober {
  constructor(private readonly scripts: ScriptRunner) {}

  async probe(check: TimedChecker, signal: AbortSignal): Promise<ProbeResult> {
    if (check.type !== 'MISC_CHECK') return { up: false, reason: 'error', detail: `the MISC_CHECK prober cannot run ${check.type}` };
    // misc_check_thread: the script gets no extra arguments; misc_timeout already defaults to the VS delay_loop.
    return miscResult(check, await this.scripts.run(check.script, [], check.timeout * 1000, signal));
  }
}
