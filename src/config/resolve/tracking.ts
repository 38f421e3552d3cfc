/**
 * Tracked objects (vrrp_script, track_file, vrrp_track_process) and the track_* references to them
 * (keepalived vrrp/vrrp_track.c alloc_track_script/alloc_track_if, trackers/track_file.c).
 */
import type { TrackFile, TrackProcess, TrackRef, VrrpScript } from '../../model/config.js';
import { CODES, type Ctx } from '../keywords/context.js';
import type { TrackFileDraft } from '../keywords/track-file.js';
import type { TrackProcessDraft } from '../keywords/track-process.js';
import type { TrackingDraft, TrackLine } from '../keywords/vrrp-common.js';
import type { ScriptDraft } from '../keywords/vrrp-script.js';

/** Drops later objects whose name is already taken (keepalived finds the first by name). */
function unique<T extends { name: string; loc: { file: string; line: number } }>(items: readonly T[], kind: string, ctx: Ctx): T[] {
  const seen = new Map<string, T>();
  for (const it of items) {
    const first = seen.get(it.name);
    if (first) ctx.error(CODES.duplicate, it.loc, `${kind} ${it.name} is already defined at ${first.loc.file}:${first.loc.line}`);
    else seen.set(it.name, it);
  }
  return [...seen.values()];
}

export function resolveScripts(drafts: readonly ScriptDraft[], ctx: Ctx): VrrpScript[] {
  const out: VrrpScript[] = [];
  for (const d of unique(drafts, 'vrrp_script', ctx)) {
    // vrrp_vscript_end_handler: a vrrp_script without a script is removed.
    if (!d.script) {
      ctx.error(CODES.missing, d.loc, `vrrp_script ${d.name} has no script`);
      continue;
    }
    const script = d.user ? { ...d.script, user: d.user.user, group: d.user.group } : d.script;
    // VRRP_SCRIPT_DI 1 s, VRRP_SCRIPT_DT 0 (= the interval), VRRP_SCRIPT_DW 0 (vrrp_track.h).
    const interval = d.interval ?? 1;
    out.push({
      loc: d.loc, name: d.name, script, interval, timeout: d.timeout ?? interval,
      weight: d.weight?.weight ?? 0, reverse: d.weight?.reverse ?? false,
      rise: d.rise ?? 1, fall: d.fall ?? 1, initFail: d.initFail ?? false,
    });
  }
  return out;
}

export function resolveTrackFiles(drafts: readonly TrackFileDraft[], ctx: Ctx): TrackFile[] {
  const out: TrackFile[] = [];
  for (const d of unique(drafts, 'track_file', ctx)) {
    if (d.path === undefined) {
      ctx.error(CODES.missing, d.loc, `track_file ${d.name} has no file`);
      continue;
    }
    out.push({ loc: d.loc, name: d.name, path: d.path, weight: d.weight?.weight ?? 1, reverse: d.weight?.reverse ?? false, init: d.init ?? null });
  }
  return out;
}

export function resolveTrackProcesses(drafts: readonly TrackProcessDraft[], ctx: Ctx): TrackProcess[] {
  const out: TrackProcess[] = [];
  for (const d of unique(drafts, 'vrrp_track_process', ctx)) {
    const [process, ...params] = d.command ?? [];
    if (process === undefined) {
      ctx.error(CODES.missing, d.loc, `vrrp_track_process ${d.name} has no process`);
      continue;
    }
    // quorum_max 0 means "process must not run": quorum becomes 0 too (vrrp_tprocess_quorum_max_handler).
    const quorumMax = d.quorumMax ?? null;
    const quorum = quorumMax === 0 ? 0 : d.quorum ?? 1;
    if (quorumMax !== null && quorumMax !== 0 && quorum > quorumMax) {
      ctx.error(CODES.value, d.loc, `vrrp_track_process ${d.name}: quorum ${quorum} is greater than quorum_max ${quorumMax}`);
    }
    const fullCommand = d.fullCommand ?? params.length > 0;
    out.push({
      loc: d.loc, name: d.name, process, params,
      paramMatch: d.paramMatch ?? (params.length ? 'exact' : 'none'), fullCommand,
      weight: d.weight?.weight ?? 0, reverse: d.weight?.reverse ?? false,
      quorum, quorumMax, forkDelay: d.forkDelay ?? 0, terminateDelay: d.terminateDelay ?? 0,
    });
  }
  return out;
}

export interface Tracked {
  readonly scripts: ReadonlyMap<string, VrrpScript>;
  readonly files: ReadonlyMap<string, TrackFile>;
  readonly processes: ReadonlyMap<string, TrackProcess>;
  /** Names declared but rejected (already reported), so references to them are not reported again. */
  readonly declared: ReadonlySet<string>;
}

export interface TrackRefs {
  trackInterfaces: TrackRef[];
  trackScripts: TrackRef[];
  trackFiles: TrackRef[];
  trackProcesses: TrackRef[];
}

/** The track_* lines of an instance or sync group with defaults from what they track; unknown names are errors. */
export function resolveTrackRefs(d: TrackingDraft, tracked: Tracked, ctx: Ctx): TrackRefs {
  const refs = <T extends { weight: number; reverse: boolean }>(lines: readonly TrackLine[], kind: string, objects: ReadonlyMap<string, T>) =>
    lines.flatMap((l): TrackRef[] => {
      const o = objects.get(l.name);
      if (!o) {
        if (!tracked.declared.has(l.name)) ctx.error(CODES.reference, l.loc, `${kind} ${l.name} is not defined`);
        return [];
      }
      return [{ name: l.name, weight: l.weight ?? o.weight, reverse: l.reverse ?? o.reverse }];
    });
  return {
    trackInterfaces: d.trackInterfaces.map((l) => {
      ctx.checkInterface(l.name, l.loc, 'track_interface');
      return { name: l.name, weight: l.weight ?? 0, reverse: l.reverse ?? false };
    }),
    trackScripts: refs(d.trackScripts, 'track_script', tracked.scripts),
    trackFiles: refs(d.trackFiles, 'track_file', tracked.files),
    trackProcesses: refs(d.trackProcesses, 'track_process', tracked.processes),
  };
}

/**
 * vrrp_complete_instance: a sync group member (without sync_group_tracking_weight) or an address owner
 * cannot float its priority — weighted interfaces go to weight 0 (owner: untracked), weighted scripts are
 * dropped, files at the default weight 1 go to 0 and other weighted files are dropped.
 */
export function unweighted(refs: TrackRefs, why: 'a sync group' | 'the address owner', ctx: Ctx, loc: { file: string; line: number }): TrackRefs {
  /** Keeps unweighted refs; a weighted one is reported and becomes `instead` (its weight 0, or nothing). */
  const each = (kind: string, list: readonly TrackRef[], instead: (r: TrackRef) => TrackRef[]) =>
    list.flatMap((r) => {
      if (r.weight === 0) return [r];
      const out = instead(r);
      ctx.warn(CODES.adjusted, loc, `${kind} ${r.name} is weighted, which ${why} cannot use; ${out.length ? 'its weight is 0' : 'it is ignored'}`);
      return out;
    });
  return {
    trackInterfaces: each('track_interface', refs.trackInterfaces, (r) => (why === 'a sync group' ? [{ ...r, weight: 0 }] : [])),
    trackScripts: each('track_script', refs.trackScripts, () => []),
    trackFiles: each('track_file', refs.trackFiles, (r) => (r.weight === 1 ? [{ ...r, weight: 0 }] : [])),
    trackProcesses: refs.trackProcesses,
  };
}
