/**
 * The tracked objects VRRP instances follow, gathered into the TrackInputs the VrrpNode reads: interfaces from
 * rtnetlink link events (LinkWatch: track_interface and each instance's own interface), vrrp_script verdicts
 * (ScriptSchedule on the Clock, run as script_user without a shell) and track_file values (inotify). Each change
 * hands the node a complete, fresh set of levels; the node works out which instances it concerns.
 * track_process is not followed yet (config/not-acted-on.ts says so).
 */
import type { KeepalivedConfig } from '../model/config.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { ScriptRunner } from '../ports/scripts.js';
import { LinkWatch } from '../platform/link-watch.js';
import { TrackFileWatcher } from '../platform/track-file-watcher.js';
import { ScriptSchedule } from '../vrrp/script-schedule.js';
import type { TrackInputs } from '../vrrp/tracking.js';

export class VrrpTracking {
  private scriptVerdicts: ReadonlyMap<string, boolean | null> = new Map();
  private constructor(
    private readonly interfaces: readonly string[],
    private readonly fileNames: readonly string[],
    private readonly links: LinkWatch,
    private readonly scripts: ScriptSchedule,
    private readonly files: TrackFileWatcher,
  ) {}

  /** Opens the watchers; `onChange` gets the new inputs after every change once start() has run. */
  static async open(config: KeepalivedConfig, clock: Clock, runner: ScriptRunner, log: Logger, onChange: (inputs: TrackInputs) => void): Promise<VrrpTracking> {
    const holders = [...config.vrrpInstances, ...config.vrrpSyncGroups];
    const interfaces = [...new Set([
      ...config.vrrpInstances.flatMap((i) => (i.interface ? [i.interface] : [])),
      ...holders.flatMap((h) => h.trackInterfaces.map((r) => r.name)),
    ])];
    // keepalived runs only the vrrp_scripts some instance or group tracks (vrrp_track.c: unused ones are dropped).
    const tracked = new Set(holders.flatMap((h) => h.trackScripts.map((r) => r.name)));
    const trackedFiles = new Set(holders.flatMap((h) => h.trackFiles.map((r) => r.name)));
    let self: VrrpTracking | null = null;
    const changed = () => { if (self) onChange(self.inputs()); };
    const links = await LinkWatch.open({
      onChange: (now) => {
        if (interfaces.includes(now.name)) changed();
      },
      onError: (e) => log.error({ err: e }, 'interface watch error'),
    });
    const scripts = new ScriptSchedule(clock, runner, config.vrrpScripts.filter((s) => tracked.has(s.name)), (v) => {
      if (self) self.scriptVerdicts = v;
      changed();
    });
    const files = new TrackFileWatcher(config.trackFiles.filter((f) => trackedFiles.has(f.name)), {
      changed: () => changed(),
      invalid: (name, path, why) => log.warn({ trackFile: name, path }, `track_file ${name}: ${why}`),
    });
    self = new VrrpTracking(interfaces, [...trackedFiles], links, scripts, files);
    return self;
  }

  /** Starts the scripts and reads the files; the inputs as they are now. */
  start(): TrackInputs {
    this.files.start();
    this.scripts.start();
    this.scriptVerdicts = this.scripts.verdicts();
    return this.inputs();
  }

  inputs(): TrackInputs {
    const up = new Map(this.interfaces.map((n) => [n, this.links.status(n)?.up ?? false] as const));
    const files = new Map(this.fileNames.map((n) => [n, this.files.value(n)] as const));
    return { interfaces: up, scripts: this.scriptVerdicts, files, processes: new Map() };
  }

  close(): void {
    this.scripts.stop();
    this.files.close();
    this.links.close();
  }
}
