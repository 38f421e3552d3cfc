/** MISC_CHECK: a script; only the timing half of the common keywords (keepalived check/check_misc.c). */
import type { ScriptSpec } from '../../../model/config.js';
import { keywordsFor, type Table } from '../table.js';
import { flag, script, uint } from '../values.js';
import { TIMING_KEYWORDS, type CheckerBaseDraft } from './common.js';

export interface MiscDraft extends CheckerBaseDraft {
  readonly type: 'MISC_CHECK';
  script?: ScriptSpec;
  user?: { user: string; group: string | null };
  timeout?: number;
  dynamic?: boolean;
}

const k = keywordsFor<MiscDraft>();

export const MISC_KEYWORDS: Table<MiscDraft> = {
  ...TIMING_KEYWORDS,
  misc_path: k.value('script', script),
  misc_timeout: k.value('timeout', uint(0, 4294)),
  misc_dynamic: k.value('dynamic', flag),
  user: k.custom((d, node, ctx) => {
    if (node.args[0] === undefined) return ctx.invalid(node, 'needs a user name');
    d.user = { user: node.args[0], group: node.args[1] ?? null };
  }),
};
