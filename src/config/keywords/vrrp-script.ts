/** vrrp_script keywords (keepalived vrrp/vrrp_parser.c vrrp_vscript_*; defaults from vrrp_data.c alloc_vrrp_script). */
import type { ScriptSpec, SourceLoc } from '../../model/config.js';
import type { ConfigNode } from '../tree.js';
import { CODES, type Ctx } from './context.js';
import { keywordsFor, type Table } from './table.js';
import { flag, script, uint, weight } from './values.js';

export interface ScriptDraft {
  readonly loc: SourceLoc;
  readonly name: string;
  script?: ScriptSpec;
  user?: { user: string; group: string | null };
  interval?: number;
  timeout?: number;
  weight?: { weight: number; reverse: boolean };
  rise?: number;
  fall?: number;
  initFail?: boolean;
}

/** Shared by the named top-level blocks: `KEYWORD NAME { … }`. */
export function namedBlock<D>(kind: string, make: (name: string, loc: SourceLoc) => D) {
  return (node: ConfigNode, ctx: Ctx): { draft: D; ctx: Ctx } | null => {
    const name = node.args[0];
    if (name === undefined) {
      ctx.error(CODES.missing, node.loc, `${kind} needs a name`);
      return null;
    }
    return { draft: make(name, node.loc), ctx: ctx.within(`${kind} ${name}`) };
  };
}

export const newScriptDraft = namedBlock<ScriptDraft>('vrrp_script', (name, loc) => ({ name, loc }));

const k = keywordsFor<ScriptDraft>();
/** UINT_MAX / TIMER_HZ: keepalived 2.2.7 reads whole seconds for interval and timeout. */
const MAX_WHOLE_SECONDS = 4294;

export const VRRP_SCRIPT_KEYWORDS: Table<ScriptDraft> = {
  script: k.value('script', script),
  interval: k.value('interval', uint(1, MAX_WHOLE_SECONDS)),
  timeout: k.value('timeout', uint(1, MAX_WHOLE_SECONDS)),
  weight: k.value('weight', weight(-253, 253)),
  rise: k.value('rise', uint(1, 0x7fffffff)),
  fall: k.value('fall', uint(1, 0x7fffffff)),
  user: k.custom((d, node, ctx) => {
    if (node.args[0] === undefined) return ctx.invalid(node, 'needs a user name');
    d.user = { user: node.args[0], group: node.args[1] ?? null };
  }),
  init_fail: k.value('initFail', flag),
};
