/**
 * Keywords vrrp_instance and vrrp_sync_group share: the track_* blocks (vrrp_track.c alloc_track_*,
 * track_file.c vrrp_alloc_track_file) and the notify scripts (vrrp_parser.c vrrp_notify_* / vrrp_gnotify_*).
 */
import type { ScriptSpec, SourceLoc } from '../../model/config.js';
import { CODES } from './context.js';
import { keywordsFor, type Table } from './table.js';
import { bad, flag, int, ok, script, uint, MAX_WHOLE_SECONDS, type ValueParser } from './values.js';
import type { GarpSettings } from '../../model/config-global.js';

/** A track_* line before the tracked object's own weight is known. */
export interface TrackLine {
  readonly loc: SourceLoc;
  readonly name: string;
  /** undefined = the tracked object's weight (interfaces: 0). */
  readonly weight: number | undefined;
  readonly reverse: boolean | undefined;
}

export interface TrackingDraft {
  trackInterfaces: TrackLine[];
  trackScripts: TrackLine[];
  trackFiles: TrackLine[];
  trackProcesses: TrackLine[];
}

export interface NotifyDraft {
  notifyMaster?: ScriptSpec;
  notifyBackup?: ScriptSpec;
  notifyFault?: ScriptSpec;
  notifyStop?: ScriptSpec;
  notify?: ScriptSpec;
  smtpAlert?: boolean;
  notifyPriorityChanges?: boolean;
}

export const newTracking = (): TrackingDraft => ({ trackInterfaces: [], trackScripts: [], trackFiles: [], trackProcesses: [] });

/** `NAME [weight W [reverse|noreverse]]`; W within ±limit (253 for interfaces and scripts, 254 for files and processes). */
function trackLine(limit: number): ValueParser<Omit<TrackLine, 'loc'>> {
  const w = int(-limit, limit);
  return (words) => {
    const [name, opt, value, dir] = words;
    if (name === undefined) return bad('needs a name');
    if (opt === undefined) return ok({ name, weight: undefined, reverse: undefined });
    if (opt !== 'weight') return bad(`option must be weight, not "${opt}" (after ${name})`);
    const r = w(value === undefined ? [] : [value]);
    if (!r.ok) return bad(`weight for ${name} ${r.error}`);
    if (dir !== undefined && dir !== 'reverse' && dir !== 'noreverse') return bad(`weight option for ${name} must be reverse or noreverse, not "${dir}"`);
    return ok({ name, weight: r.value, reverse: dir === undefined ? undefined : dir === 'reverse' });
  };
}

const t = keywordsFor<TrackingDraft>();

function tracked(limit: number, pick: (d: TrackingDraft) => TrackLine[]) {
  return t.lines(trackLine(limit), (d, item, line, ctx) => {
    const list = pick(d);
    if (list.some((x) => x.name === item.name)) ctx.warn(CODES.adjusted, line.loc, `${item.name} is already tracked; this line is ignored`);
    else list.push({ ...item, loc: line.loc });
  });
}

export const TRACKING_KEYWORDS: Table<TrackingDraft> = {
  track_interface: tracked(253, (d) => d.trackInterfaces),
  track_script: tracked(253, (d) => d.trackScripts),
  track_file: tracked(254, (d) => d.trackFiles),
  track_process: tracked(254, (d) => d.trackProcesses),
  track_bfd: t.ignored('lvsd has no BFD; the instance does not track BFD sessions'),
};

const n = keywordsFor<NotifyDraft>();

export const NOTIFY_KEYWORDS: Table<NotifyDraft> = {
  notify_master: n.once('notifyMaster', script),
  notify_backup: n.once('notifyBackup', script),
  notify_fault: n.once('notifyFault', script),
  notify_stop: n.once('notifyStop', script),
  notify: n.once('notify', script),
  smtp_alert: n.value('smtpAlert', flag),
  notify_priority_changes: n.value('notifyPriorityChanges', flag),
};

const garp = keywordsFor<Partial<GarpSettings>>();

/**
 * Gratuitous ARP timing, read the same way as global defaults (`vrrp_garp_*`, global_parser.c) and per
 * instance (`garp_*`, vrrp_parser.c): `prefix` is what the keyword carries before `garp_`.
 */
export function garpKeywords(prefix: '' | 'vrrp_'): Table<Partial<GarpSettings>> {
  return {
    [`${prefix}garp_master_delay`]: garp.value('garpMasterDelay', uint(0, MAX_WHOLE_SECONDS)),
    [`${prefix}garp_master_repeat`]: garp.value('garpMasterRepeat', uint(1, 0xffffffff)),
    [`${prefix}garp_master_refresh`]: garp.value('garpMasterRefresh', uint(0, 0xffffffff)),
    [`${prefix}garp_master_refresh_repeat`]: garp.value('garpMasterRefreshRepeat', uint(1, 0xffffffff)),
    [`${prefix}garp_lower_prio_delay`]: garp.value('garpLowerPrioDelay', uint(0, MAX_WHOLE_SECONDS)),
    [`${prefix}garp_lower_prio_repeat`]: garp.value('garpLowerPrioRepeat', uint(0, 0x7fffffff)),
  };
}
