/**
 * Runs every checker of a configuration on the Clock port: schedules attempts (keepalived check/check_api.c
 * register_checkers_thread and each checker's epilog), feeds results through stepChecker, keeps real-server and
 * quorum state, and hands the daemon its events in order. Reload migrates the state of unchanged checkers.
 */
import type { Checker, KeepalivedConfig, RealServer, VirtualServer } from '../model/config.js';
import type { Clock } from '../ports/clock.js';
import type { Prober, ProbeResult } from '../ports/prober.js';
import type { Random } from '../ports/random.js';
import { alwaysHeld, type VipHeld } from '../ports/vip-held.js';
import { initialCheckerState, stepChecker } from './checker-state.js';
import { checkerLog } from './checker-log.js';
import type { HealthEvent, HealthSink } from './events.js';
import { fileVerdict } from './checkers/file.js';
import { formatRs, formatVs } from './format.js';
import { checkerIdentity, rsKey, vsKey } from './identity.js';
import { Lateness, type LatenessFigures } from './lateness.js';
import { computeAlive, computeWeight, rsNotifies, settleQuorum, settleRs, vsNotifies, type CheckerRun, type RsRun, type VsRun } from './service-health.js';
import type { HealthView, RsHealth } from './view.js';

/** BOOTSTRAP_DELAY (check_api.h): the first attempt waits a second plus the random warmup. */
const BOOTSTRAP_MS = 1000;

export interface HealthDeps {
  readonly clock: Clock;
  readonly prober: Prober;
  readonly random: Random;
  readonly sink: HealthSink;
  /** ha_suspend: whether this director holds a service's VIP now; held when not given. */
  readonly vipHeld?: VipHeld;
  /** The current value of a track_file (already parsed; 0 when it cannot be read). */
  readonly trackFileValue?: (name: string) => number;
}

export class HealthRunner implements HealthView {
  private vss = new Map<string, VsRun>();
  private readonly vipHeld: VipHeld;
  private readonly lateness = new Lateness();
  private stopped = false;

  constructor(private cfg: KeepalivedConfig, private readonly deps: HealthDeps) {
    this.vipHeld = deps.vipHeld ?? alwaysHeld;
  }

  /** Builds the state keepalived starts with and schedules every checker's first attempt. */
  start(): void {
    this.install(new Map());
  }

  realServer(vs: VirtualServer, rs: RealServer): RsHealth {
    const r = this.vss.get(vsKey(vs))?.byKey.get(rsKey(vs, rs));
    return r ? { alive: r.alive, weight: r.weight } : { alive: false, weight: 0 };
  }

  quorumUp(vs: VirtualServer): boolean {
    return this.vss.get(vsKey(vs))?.quorumUp ?? false;
  }

  /** The services as the runner holds them, for status answers. */
  services(): readonly VsRun[] {
    return [...this.vss.values()];
  }

  /** How late attempts started against their due time, since start. */
  timing(): LatenessFigures {
    return this.lateness.figures();
  }

  /** A track_file's value changed (the watcher read it): every FILE_CHECK following it re-judges its server. */
  fileChanged(name: string, value: number): void {
    const out: HealthEvent[] = [];
    let changed = false;
    for (const c of this.checkers()) {
      if (c.checker.type !== 'FILE_CHECK' || c.checker.trackFile !== name || !c.owner) continue;
      const verdict = fileVerdict(c.checker, value);
      if (c.file && c.file.up === verdict.up && c.file.weight === verdict.weight) continue;
      const res: ProbeResult = verdict.up ? { up: true, detail: `${name} = ${value}` } : { up: false, reason: 'status', detail: `${name} = ${value}` };
      if (c.file?.up !== verdict.up) {
        c.lastChange = this.deps.clock.now();
        out.push(checkerLog(c.owner.rs, c.checker, res, 0));
      }
      c.file = verdict;
      c.last = res;
      changed = settleRs(c.owner.vs, c.owner.rs, this.deps.clock.now(), false, out) || changed;
    }
    this.emit(out, changed);
  }

  /** Applies a new configuration: unchanged checkers keep state and timers, the rest start afresh. */
  reload(cfg: KeepalivedConfig): void {
    this.cfg = cfg;
    this.install(this.vss);
  }

  /** Stops every checker; with omega, servers and services still up are notified down (clear_services). */
  stop(): void {
    this.stopped = true;
    for (const c of this.checkers()) cancel(this.deps.clock, c);
    const t = this.lateness.figures();
    // One line with the run's scheduling figures, read by bench/health-checks.ts from the daemon's log.
    const out: HealthEvent[] = [{ kind: 'log', level: 'info', msg: 'checker timing', fields: { started: t.started, late: t.late, worstLateMs: t.worstMs } }];
    for (const v of this.vss.values()) {
      if (!v.vs.omega) continue;
      for (const r of v.rss) if (r.alive) rsNotifies(r, false, true, out);
      v.quorumUp = false;
      vsNotifies(v, true, out);
    }
    this.emit(out, false);
  }

  private *checkers(): Iterable<CheckerRun> {
    for (const v of this.vss.values()) for (const r of v.rss) yield* r.checkers;
  }

  private install(oldVs: Map<string, VsRun>): void {
    const oldRs = new Map<string, RsRun>();
    for (const v of oldVs.values()) for (const r of v.rss) oldRs.set(r.key, r);
    const kept = new Set<CheckerRun>();
    const next = new Map<string, VsRun>();
    for (const vs of this.cfg.virtualServers) {
      const key = vsKey(vs);
      if (next.has(key)) continue;
      const v: VsRun = { key, vs, rss: [], byKey: new Map(), quorumUp: false };
      for (const rs of vs.realServers) {
        const k = rsKey(vs, rs);
        if (v.byKey.has(k)) continue;
        const before = oldRs.get(k);
        const r: RsRun = { key: k, vs, rs, checkers: [], alive: false, weight: 0, lastChange: before?.lastChange ?? null };
        for (const c of rs.checkers) {
          const id = before ? checkerIdentity(c) : null;
          const same = before?.checkers.find((o) => !kept.has(o) && (o.id ??= checkerIdentity(o.checker)) === id);
          if (same) kept.add(same);
          const run = same ?? this.fresh(c, id);
          run.owner = { vs: v, rs: r };
          r.checkers.push(run);
        }
        if (before) joinFailed(r, kept, before.alive);
        r.alive = before ? before.alive : computeAlive(r);
        r.weight = before ? before.weight : computeWeight(r);
        v.rss.push(r);
        v.byKey.set(k, r);
      }
      const prev = oldVs.get(key);
      // A new service starts without quorum, so settleQuorum(init) below gains it at once when its live weight
      // allows, with the notifies keepalived gives then ("Gained quorum", quorum_up, a VS UP fifo line):
      // set_quorum_states runs before init_service_rs marks the real servers alive (check_data.c, ipwrapper.c).
      v.quorumUp = prev ? prev.quorumUp : false;
      next.set(key, v);
    }
    const out: HealthEvent[] = [];
    this.retire(oldVs, next, kept, out);
    this.vss = next;
    const now = this.deps.clock.now();
    let changed = false;
    for (const v of next.values()) {
      for (const r of v.rss) {
        if (oldRs.has(r.key)) changed = settleRs(v, r, now, false, out) || changed;
        for (const c of r.checkers) if (!kept.has(c)) this.first(c);
      }
      changed = settleQuorum(v, !oldVs.has(v.key), out) || changed;
    }
    this.emit(out, changed);
  }

  /** Real servers and services gone from the configuration: their checkers stop, and those up are notified down. */
  private retire(oldVs: Map<string, VsRun>, next: Map<string, VsRun>, kept: Set<CheckerRun>, out: HealthEvent[]): void {
    for (const v of oldVs.values()) {
      const nv = next.get(v.key);
      for (const r of v.rss) {
        for (const c of r.checkers) if (!kept.has(c)) cancel(this.deps.clock, c);
        if (nv?.byKey.has(r.key) || !r.alive) continue;
        out.push({ kind: 'log', level: 'info', msg: `Removing service ${formatRs(r.vs, r.rs)} from VS ${formatVs(r.vs)}`, fields: { vs: formatVs(r.vs), rs: formatRs(r.vs, r.rs), state: 'removed' } });
        rsNotifies(r, false, false, out);
      }
      if (!nv && v.quorumUp) {
        v.quorumUp = false;
        vsNotifies(v, false, out);
      }
    }
  }

  private fresh(c: Checker, id: string | null): CheckerRun {
    const base = { id, checker: c, last: null, lastChange: null, owner: null, timer: null, abort: null };
    if (c.type === 'FILE_CHECK') return { ...base, state: null, file: fileVerdict(c, this.deps.trackFileValue?.(c.trackFile) ?? 0) };
    return { ...base, state: initialCheckerState(c.alpha), file: null };
  }

  /** A new timed checker's first attempt: check_api.c waits BOOTSTRAP_DELAY + warmup × random() / RAND_MAX. */
  private first(c: CheckerRun): void {
    if (c.checker.type === 'FILE_CHECK') return;
    const warmup = c.checker.warmup * 1000;
    this.schedule(c, BOOTSTRAP_MS + (warmup ? Math.floor((warmup * this.deps.random()) / 0xffffffff) : 0));
  }

  private schedule(c: CheckerRun, ms: number): void {
    const due = this.deps.clock.now() + ms;
    c.timer = this.deps.clock.setTimer(ms, () => {
      c.timer = null;
      this.lateness.note(due, this.deps.clock.now());
      this.attempt(c);
    });
  }

  private attempt(c: CheckerRun): void {
    const k = c.checker;
    if (k.type === 'FILE_CHECK' || !c.owner) return;
    // ha_suspend: a disabled checker only re-arms itself a delay_loop later (tcp_connect_thread, misc_check_thread).
    if (c.owner.vs.vs.haSuspend && !this.vipHeld(c.owner.vs.vs)) return this.schedule(c, k.delayLoop * 1000);
    const abort = new AbortController();
    c.abort = abort;
    const started = this.deps.clock.now();
    const failed = (e: unknown): ProbeResult => ({ up: false, reason: 'error', detail: e instanceof Error ? e.message : String(e) });
    void this.deps.prober.probe(k, abort.signal).catch(failed).then((res) => {
      if (abort.signal.aborted || this.stopped) return;
      c.abort = null;
      this.judge(c, res, started);
    });
  }

  private judge(c: CheckerRun, res: ProbeResult, started: number): void {
    const k = c.checker;
    if (k.type === 'FILE_CHECK' || !c.owner) return;
    const { vs: v, rs: r } = c.owner;
    const before = c.state ?? initialCheckerState(k.alpha);
    const step = stepChecker(before, res, k.retry);
    c.state = step.state;
    c.last = res;
    const now = this.deps.clock.now();
    const out: HealthEvent[] = [];
    const flipped = step.decided !== null && (step.decided === 'up') !== before.up;
    if (flipped) c.lastChange = now;
    if (flipped || (!res.up && k.logAllFailures) || (step.decided && !before.hasRun)) out.push(checkerLog(r, k, res, before.retryIt));
    // update_svr_checker_state: an alpha checker's first failure confirms the down state it started in, and notifies.
    const confirmDown = step.decided === 'down' && !before.hasRun && !before.up;
    this.emit(out, settleRs(v, r, now, confirmDown, out));
    const wait = (step.retryNext ? k.delayBeforeRetry : k.delayLoop) * 1000;
    // check_misc.c measures the next run from when the script started (last_ran); the others from the result.
    const elapsed = k.type === 'MISC_CHECK' ? now - started : 0;
    this.schedule(c, Math.max(0, wait - elapsed));
  }

  private emit(out: HealthEvent[], changed: boolean): void {
    for (const e of out) this.deps.sink(e);
    if (changed) this.deps.sink({ kind: 'changed' });
  }
}

/**
 * migrate_checkers: when a kept checker has failed (or the server is down and none of its checkers has run), a new
 * checker on that server does not bring it up by itself: an alpha one starts down, and one failure is enough.
 */
function joinFailed(r: RsRun, kept: ReadonlySet<CheckerRun>, wasAlive: boolean): void {
  const old = r.checkers.filter((c) => kept.has(c));
  const failed = old.some((c) => (c.file ? !c.file.up : c.state !== null && c.state.hasRun && !c.state.up));
  const anyRun = old.some((c) => c.file !== null || c.state?.hasRun === true);
  if (!failed && (wasAlive || anyRun)) return;
  for (const c of r.checkers) {
    if (kept.has(c) || c.checker.type === 'FILE_CHECK' || !c.state) continue;
    c.state = { ...c.state, up: c.state.up && !c.checker.alpha, retryIt: c.checker.retry };
  }
}

function cancel(clock: Clock, c: CheckerRun): void {
  if (c.timer) clock.clearTimer(c.timer);
  c.timer = null;
  c.abort?.abort();
  c.abort = null;
}
