/** track_file NAME { … } (alias vrrp_track_file) keywords (keepalived trackers/track_file.c add_track_file_keywords). */
import type { SourceLoc } from '../../model/config.js';
import { keywordsFor, type Table } from './table.js';
import { bad, ok, parseInteger, weight, word, type ValueParser } from './values.js';
import { namedBlock } from './vrrp-script.js';

export interface TrackFileDraft {
  readonly loc: SourceLoc;
  readonly name: string;
  path?: string;
  weight?: { weight: number; reverse: boolean };
  init?: { value: number; overwrite: boolean };
}

export const newTrackFileDraft = namedBlock<TrackFileDraft>('track_file', (name, loc) => ({ name, loc }));

/** `init_file [VALUE] [overwrite]` (track_file_init_handler): create the file, VALUE default 0. */
const initFile: ValueParser<{ value: number; overwrite: boolean }> = (args) => {
  const init = { value: 0, overwrite: false };
  for (const a of args) {
    const n = parseInteger(a, true);
    if (n !== null && n >= -0x80000000 && n <= 0x7fffffff) init.value = n;
    else if (a === 'overwrite') init.overwrite = true;
    else return bad(`takes an optional number and overwrite, not "${a}"`);
  }
  return ok(init);
};

const k = keywordsFor<TrackFileDraft>();

export const TRACK_FILE_KEYWORDS: Table<TrackFileDraft> = {
  file: k.once('path', word),
  weight: k.once('weight', weight(-254, 254)),
  init_file: k.value('init', initFile),
};
