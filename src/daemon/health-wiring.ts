/**
 * Health checking as the daemon runs it: the HealthRunner (src/health) on the daemon's Clock, with the real
 * prober (src/platform/probe, MISC_CHECK through the ScriptRunner), the track_file watcher for FILE_CHECK, and
 * its events performed here — log lines, notify/quorum scripts and notify FIFO lines (health-notify.ts), and a
 * reconcile request for every batch of changes, so desiredTable reads the new health on every data plane.
 * DaemonCore takes this as a factory (CoreDeps.health), so core tests keep a FakeClock and their own prober.
 */
import type { KeepalivedConfig } from '../model/config.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Prober } from '../ports/prober.js';
import type { ScriptRunner } from '../ports/scripts.js';
import type { VipHeld } from '../ports/vip-held.js';
import type { HealthView } from '../health/view.js';
import type { HealthStatusSource } from '../ports/status.js';
import { healthSource } from '../metrics/health-source.js';
import { fileCheckedTracks } from '../health/checkers/file.js';
import { HealthRunner } from '../health/runner.js';
import { healthSnapshot, type VirtualServerSnapshot } from '../health/snapshot.js';
import { createProber } from '../platform/probe/index.js';
import { MiscProber } from '../platform/probe-misc.js';
import { systemRandom } from '../platform/random.js';
import { ProcessScriptRunner } from '../platform/script-runner.js';
import { TrackFileWatcher } from '../platform/track-file-watcher.js';
import { HealthNotifier } from './health-notify.js';
import type { DaemonAlerts } from './alert-wiring.js';

/** What DaemonCore holds while a configuration has checkers. */
export interface HealthControl extends HealthView {
  /** A new configuration: unchanged checkers keep their state (no transition, no table change). */
  reload(cfg: KeepalivedConfig): void;
  /** Every service's health with times of last transition on the wall clock (ms since the epoch). */
  report(): VirtualServerSnapshot[];
  /** The runner's records for /metrics and /status.json (lvsd_checker_*, quorum, real-server health). */
  readonly status: HealthStatusSource;
  /** Stops every checker (omega notifies), waits for the scripts started, closes the FIFOs. */
  stop(): Promise<void>;
}

/** Makes and starts the health checking of a configuration; `changed` asks for a reconcile pass. */
export type HealthFactory = (cfg: KeepalivedConfig, changed: () => void) => HealthControl;

/** Whether a configuration has anything for the health layer to run. */
export function hasCheckers(cfg: KeepalivedConfig): boolean {
  return cfg.virtualServers.some((vs) => vs.realServers.some((rs) => rs.checkers.length > 0));
}

export interface HealthWiringDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Tests may hand their own; production makes a ProcessScriptRunner from global_defs. */
  readonly scripts?: ScriptRunner;
  /** Tests may hand their own; production uses createProber with MISC_CHECK on the scripts. */
  readonly prober?: Prober;
  /** ha_suspend: whether this director holds a service's VIP (VRRP fills it in); held when not given. */
  readonly vipHeld?: VipHeld;
  /** Real-server and quorum transitions for smtp_alert; none mailed when not given. */
  readonly alerts?: DaemonAlerts;
}

/** track_files a FILE_CHECK follows (VRRP's own tracking of the rest is VRRP's). */
function checkedTrackFiles(cfg: KeepalivedConfig): KeepalivedConfig['trackFiles'] {
  const names = fileCheckedTracks(cfg);
  return cfg.trackFiles.filter((f) => names.has(f.name));
}

export function healthFactory(deps: HealthWiringDeps): HealthFactory {
  return (first, changed) => {
    const log = deps.log.child({ component: 'health' });
    // script_user and enable_script_security are read from the first configuration (a restart changes them).
    const scripts = deps.scripts ?? new ProcessScriptRunner({ scriptUser: first.global.scriptUser, enableScriptSecurity: first.global.enableScriptSecurity });
    const prober = deps.prober ?? createProber({ ssl: first.ssl, misc: new MiscProber(scripts) });
    const notifier = new HealthNotifier(scripts, log);
    let watcher: TrackFileWatcher | null = null;
    const runner: HealthRunner = new HealthRunner(first, {
      clock: deps.clock,
      prober,
      random: systemRandom(),
      ...(deps.vipHeld ? { vipHeld: deps.vipHeld } : {}),
      trackFileValue: (name) => watcher?.value(name) ?? 0,
      sink: (e) => {
        switch (e.kind) {
          case 'log': return log[e.level](e.fields, e.msg);
          case 'changed': return changed();
          case 'rs-transition':
          case 'vs-transition': return deps.alerts?.health(e);
          default: return notifier.notify(e);
        }
      },
    });
    const watch = (cfg: KeepalivedConfig): TrackFileWatcher => {
      const w = new TrackFileWatcher(checkedTrackFiles(cfg), {
        changed: (name, value) => runner.fileChanged(name, value),
        invalid: (name, path, why) => log.warn({ trackFile: name, path }, `track_file ${name} (${path}): ${why}`),
      });
      w.start();
      return w;
    };
    notifier.configure(first);
    watcher = watch(first);
    runner.start();
    log.info({ services: first.virtualServers.length }, 'health checking started');
    // The Clock is monotonic; a report names wall time, on the offset taken once so a time never moves.
    const offset = Math.round(Date.now() - deps.clock.now());
    return {
      realServer: (vs, rs) => runner.realServer(vs, rs),
      quorumUp: (vs) => runner.quorumUp(vs),
      status: healthSource(runner, (ms) => Math.round(ms + offset)),
      reload: (cfg) => {
        notifier.configure(cfg);
        watcher?.close();
        watcher = watch(cfg);
        runner.reload(cfg);
        // A file that changed while no watcher was on it: its FILE_CHECKs re-judge (no-op when unchanged).
        for (const f of checkedTrackFiles(cfg)) runner.fileChanged(f.name, watcher.value(f.name));
      },
      report: () => {
        return healthSnapshot(runner.services()).map((v) => ({
          ...v,
          realServers: v.realServers.map((r) => ({
            ...r,
            lastChange: r.lastChange === null ? null : Math.round(r.lastChange + offset),
            checkers: r.checkers.map((c) => ({ ...c, lastChange: c.lastChange === null ? null : Math.round(c.lastChange + offset) })),
          })),
        }));
      },
      stop: async () => {
        runner.stop();
        watcher?.close();
        watcher = null;
        await notifier.close();
        log.info({}, 'health checking stopped');
      },
    };
  };
}
