/**
 * What the tracked objects say about an instance: the sum of the weights to add to its base priority, whether
 * it must be in FAULT, and whether it waits for a first script result. Computed from levels (each object's
 * current state), which gives what keepalived's incremental arithmetic reaches (vrrp/vrrp_track.c
 * initialise_* and process_script_update_priority, trackers/track_file.c process_update_vrrp_track_file_status):
 *
 * - interface, script, process (weight w, reverse → ×−1): w = 0 → FAULT while down (up, with reverse);
 *   w > 0 adds w×m while up; w < 0 adds w×m while down.
 * - file (value v): w = 0 → FAULT when v ≠ 0 (v = 0 with reverse); otherwise v×w×m clamped to −254..253,
 *   where −254 means FAULT.
 * - the instance's own interface (unless dont_track_primary) puts it in FAULT when down.
 */
import type { TrackRef } from '../model/config.js';
import type { Tracking, VrrpInstance, VrrpSyncGroup } from '../model/config-vrrp.js';
import type { TrackStatus } from './instance-types.js';

export interface TrackInputs {
  /** Link up per interface; an interface not listed counts as down (keepalived: it does not exist). */
  readonly interfaces: ReadonlyMap<string, boolean>;
  /** vrrp_script verdicts (track-script.ts); null or missing = not yet known. */
  readonly scripts: ReadonlyMap<string, boolean | null>;
  /** track_file values; missing = 0 (keepalived reads an absent file as 0). */
  readonly files: ReadonlyMap<string, number>;
  /** vrrp_track_process quorum; missing = no quorum. */
  readonly processes: ReadonlyMap<string, boolean>;
}

/** FAULT marker of a track_file (keepalived -254). */
const FILE_FAULT = -254;

/** One up/down object: its contribution, or 'fault'. */
function level(ref: TrackRef, up: boolean): number | 'fault' {
  const m = ref.reverse ? -1 : 1;
  if (ref.weight === 0) return up === (m === 1) ? 0 : 'fault';
  if (up) return ref.weight > 0 ? ref.weight * m : 0;
  return ref.weight < 0 ? ref.weight * m : 0;
}

function fileLevel(ref: TrackRef, value: number): number | 'fault' {
  const m = ref.reverse ? -1 : 1;
  if (ref.weight === 0) return (value === 0) === (m === 1) ? 0 : 'fault';
  const status = Math.min(Math.max(value * ref.weight * m, FILE_FAULT), 253);
  return status === FILE_FAULT ? 'fault' : status;
}

/** The tracking of an instance and of its sync group together (keepalived gives members the group's tracking). */
export function trackStatus(inst: VrrpInstance, group: VrrpSyncGroup | null, inputs: TrackInputs): TrackStatus {
  let weights = 0;
  let fault = false;
  let pending = false;
  const add = (l: number | 'fault') => {
    if (l === 'fault') fault = true;
    else weights += l;
  };
  const sets: Tracking[] = group ? [inst, group] : [inst];
  for (const t of sets) {
    for (const r of t.trackInterfaces) add(level(r, inputs.interfaces.get(r.name) ?? false));
    for (const r of t.trackProcesses) add(level(r, inputs.processes.get(r.name) ?? false));
    for (const r of t.trackFiles) add(fileLevel(r, inputs.files.get(r.name) ?? 0));
    for (const r of t.trackScripts) {
      const ok = inputs.scripts.get(r.name) ?? null;
      // keepalived: a weighted script not yet run adds nothing; an unweighted one holds the instance in INIT.
      if (ok === null) pending ||= r.weight === 0;
      else add(level(r, ok));
    }
  }
  if (inst.interface && !inst.dontTrackPrimary && !(inputs.interfaces.get(inst.interface) ?? false)) fault = true;
  return { weights, fault, pending };
}
