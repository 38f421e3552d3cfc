// Test helpers for the health layer: configuration text → model, a peer whose answers a test scripts, and a sink.
//
// The peer is scripted at this level on purpose: these tests are about keepalived's deciding rules and their
// timing, and the probers that talk to real peers (TCP, HTTP, …) are tested against real servers elsewhere.
import { buildConfig } from '../../../src/config/build.js';
import { parseConfigText } from '../../../src/config/parse.js';
import { formatDiagnostic } from '../../../src/config/tree.js';
import type { KeepalivedConfig } from '../../../src/model/config.js';
import type { Prober, ProbeResult, TimedChecker } from '../../../src/ports/prober.js';
import type { HealthEvent } from '../../../src/health/events.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';

export function config(text: string): KeepalivedConfig {
  const parsed = parseConfigText(text, { file: 'test.conf', readFile: (p) => { throw new Error(`no file ${p}`); }, glob: () => [] });
  const r = buildConfig(parsed.nodes, {});
  const errors = [...parsed.diagnostics, ...r.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map(formatDiagnostic).join('; '));
  return r.config;
}

/** What a scripted peer answers: up at once, or down — refused at once, or silent until connect_timeout. */
export type PeerState = 'up' | 'refused' | 'silent';

/**
 * A Prober over scripted peers keyed by the checker's connect address (or the MISC script's first argument).
 * A silent peer's attempt ends at the checker's connect_timeout on the fake clock, as a real connect would.
 */
export class ScriptedPeers implements Prober {
  private readonly state = new Map<string, PeerState>();
  /** Attempts waiting on a silent peer: a peer that comes back answers them (the retransmitted SYN is answered). */
  private readonly waiting = new Map<string, Set<(r: ProbeResult) => void>>();
  readonly calls: { at: number; target: string }[] = [];
  /** misc_dynamic answers: the weight an up peer asks for. */
  readonly weight = new Map<string, number>();

  constructor(private readonly clock: FakeClock) {}

  set(target: string, s: PeerState): void {
    this.state.set(target, s);
    if (s !== 'up') return;
    for (const resolve of this.waiting.get(target) ?? []) resolve({ up: true, detail: 'connected late' });
    this.waiting.delete(target);
  }

  probe(check: TimedChecker, signal: AbortSignal): Promise<ProbeResult> {
    const target = check.type === 'MISC_CHECK' ? check.script.argv[0]! : `${check.conn.connectIp.text}:${check.conn.connectPort}`;
    this.calls.push({ at: this.clock.now(), target });
    const s = this.state.get(target) ?? 'up';
    if (s === 'up') {
      const w = this.weight.get(target);
      return Promise.resolve(w === undefined ? { up: true, detail: 'connected' } : { up: true, detail: `exit ${w + 2}`, weight: w });
    }
    if (s === 'refused') return Promise.resolve({ up: false, reason: 'refused', detail: 'ECONNREFUSED' });
    const ms = (check.type === 'MISC_CHECK' ? check.timeout : check.conn.connectTimeout) * 1000;
    return new Promise((resolve) => {
      const waiting = this.waiting.get(target) ?? new Set();
      this.waiting.set(target, waiting);
      const done = (r: ProbeResult) => {
        this.clock.clearTimer(h);
        waiting.delete(done);
        resolve(r);
      };
      const h = this.clock.setTimer(ms, () => done({ up: false, reason: 'timeout', detail: `no answer in ${ms} ms` }));
      waiting.add(done);
      signal.addEventListener('abort', () => done({ up: false, reason: 'error', detail: 'aborted' }));
    });
  }
}

/** Records events with the fake time they came at. */
export class Recorder {
  readonly events: { at: number; e: HealthEvent }[] = [];
  constructor(private readonly clock: FakeClock) {}
  readonly sink = (e: HealthEvent): void => {
    this.events.push({ at: this.clock.now(), e });
  };
  fifo(): string[] {
    return this.events.flatMap(({ e }) => (e.kind === 'fifo' ? [e.line] : []));
  }
  /** When the first FIFO line matching `re` came, or null. */
  when(re: RegExp, after = -Infinity): number | null {
    const hit = this.events.find(({ at, e }) => at >= after && e.kind === 'fifo' && re.test(e.line));
    return hit ? hit.at : null;
  }
  scripts(): string[] {
    return this.events.flatMap(({ e }) => (e.kind === 'script' ? [`${e.role} ${e.script.argv.join(' ')}`] : []));
  }
  logs(): string[] {
    return this.events.flatMap(({ e }) => (e.kind === 'log' ? [e.msg] : []));
  }
  clear(): void {
    this.events.length = 0;
  }
}

/** A random source that always answers `v` (a fraction of 2^32 − 1). */
export const fixedRandom = (fraction: number) => () => Math.round(fraction * 0xffffffff);
