/** FILE_CHECK: track_file and weight only (keepalived check/check_file.c install_file_check_keyword). */
import type { SourceLoc } from '../../../model/config.js';
import { keywordsFor, type Table } from '../table.js';
import { weight, word } from '../values.js';

export interface FileDraft {
  readonly type: 'FILE_CHECK';
  readonly loc: SourceLoc;
  trackFile?: string;
  weight?: { weight: number; reverse: boolean };
}

const k = keywordsFor<FileDraft>();

export const FILE_KEYWORDS: Table<FileDraft> = {
  track_file: k.value('trackFile', word),
  // -IPVS_WEIGHT_LIMIT..IPVS_WEIGHT_LIMIT (track_file_weight_handler in check_file.c)
  weight: k.value('weight', weight(-0x7fffffff, 0x7fffffff)),
};
