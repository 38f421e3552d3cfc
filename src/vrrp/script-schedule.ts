/**
 * Runs each vrrp_script every `interval` through the ScriptRunner port, on the Clock, and feeds the results
 * to the rise/fall reducer (track-script.ts). As keepalived (vrrp_scheduler.c vrrp_script_thread): the next
 * run is scheduled when one starts, a run still going when the next falls due is skipped, and a run is
 * killed after `timeout` (or the interval) — which counts as a failure.
 */
import type { VrrpScript } from '../model/config-vrrp.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { ScriptRunner } from '../ports/scripts.js';
import { initialScript, scriptIntervalMs, scriptResult, scriptTimeoutMs, succeeded, type ScriptState } from './track-script.js';

interface Running {
  readonly script: VrrpScript;
  state: ScriptState;
  busy: boolean;
  timer: TimerHandle | null;
}

export class ScriptSchedule {
  private readonly scripts = new Map<string, Running>();
  private stopped = false;

  /** `onChange` gets every script's verdict whenever one flips (what TrackInputs.scripts wants). */
  constructor(
    private readonly clock: Clock,
    private readonly runner: ScriptRunner,
    scripts: readonly VrrpScript[],
    private readonly onChange: (verdicts: ReadonlyMap<string, boolean | null>) => void,
  ) {
    for (const s of scripts) this.scripts.set(s.name, { script: s, state: initialScript(s), busy: false, timer: null });
  }

  verdicts(): ReadonlyMap<string, boolean | null> {
    return new Map([...this.scripts].map(([n, r]) => [n, r.state.up] as const));
  }

  /** Runs every script now, then every interval. */
  start(): void {
    for (const r of this.scripts.values()) this.tick(r);
  }

  stop(): void {
    this.stopped = true;
    for (const r of this.scripts.values()) if (r.timer) this.clock.clearTimer(r.timer);
  }

  private tick(r: Running): void {
    if (this.stopped) return;
    r.timer = this.clock.setTimer(scriptIntervalMs(r.script), () => this.tick(r));
    if (r.busy) return;
    r.busy = true;
    void this.runner.run(r.script.script, [], scriptTimeoutMs(r.script)).then(
      (res) => this.done(r, succeeded(res)),
      () => this.done(r, false),
    );
  }

  private done(r: Running, ok: boolean): void {
    r.busy = false;
    if (this.stopped) return;
    const { state, changed } = scriptResult(r.script, r.state, ok);
    r.state = state;
    if (changed) this.onChange(this.verdicts());
  }
}
