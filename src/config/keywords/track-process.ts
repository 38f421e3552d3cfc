/** vrrp_track_process NAME { … } keywords (keepalived vrrp/vrrp_parser.c vrrp_tprocess_*, defaults vrrp_data.c). */
import type { SourceLoc } from '../../model/config.js';
import { keywordsFor, type Table } from './table.js';
import { seconds, uint, weight, words } from './values.js';
import { namedBlock } from './vrrp-script.js';

export interface TrackProcessDraft {
  readonly loc: SourceLoc;
  readonly name: string;
  command?: readonly string[];
  paramMatch?: 'exact' | 'initial' | 'partial';
  fullCommand?: boolean;
  weight?: { weight: number; reverse: boolean };
  quorum?: number;
  quorumMax?: number;
  forkDelay?: number;
  terminateDelay?: number;
}

export const newTrackProcessDraft = namedBlock<TrackProcessDraft>('vrrp_track_process', (name, loc) => ({ name, loc }));

const k = keywordsFor<TrackProcessDraft>();
/** 0.000001 .. 3600 s (vrrp_tprocess_delay_general). */
const DELAY = seconds(0.000001, 3600);

export const TRACK_PROCESS_KEYWORDS: Table<TrackProcessDraft> = {
  process: k.once('command', words),
  param_match: k.custom((d, node, ctx) => {
    const m = node.args[0] ?? 'exact';
    if (m !== 'exact' && m !== 'initial' && m !== 'partial') return ctx.invalid(node, `must be initial or partial (or nothing for exact), not "${m}"`);
    d.paramMatch = m;
    d.fullCommand = true;
  }),
  weight: k.once('weight', weight(-254, 254)),
  quorum: k.value('quorum', uint(1, 65535)),
  quorum_max: k.value('quorumMax', uint(0, 65535)),
  delay: k.custom((d, node, ctx) => {
    const r = DELAY(node.args);
    if (!r.ok) return ctx.invalid(node, r.error);
    d.forkDelay = r.value;
    d.terminateDelay = r.value;
  }),
  fork_delay: k.value('forkDelay', DELAY),
  terminate_delay: k.value('terminateDelay', DELAY),
  full_command: k.custom((d) => { d.fullCommand = true; }),
};
