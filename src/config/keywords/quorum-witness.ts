/**
 * `lvsd_quorum_witness { … }` inside a vrrp_instance: lvsd's split-brain defence (src/model/config-witness.ts,
 * docs/QUORUM-WITNESS.md). The lvsd_ prefix keeps keepalived from reading it as anything of its own: keepalived
 * warns about an unknown keyword and skips the block, so one file still serves both daemons during a migration.
 */
import type { ScriptSpec, SourceLoc } from '../../model/config.js';
import { WITNESS_MAX_SLOTS } from '../../model/config-witness.js';
import type { ConfigNode } from '../tree.js';
import { CODES, type Ctx } from './context.js';
import { keywordsFor, type Table } from './table.js';
import { bad, ok, parseInteger, script, seconds, uint, word, type ValueParser } from './values.js';

export interface WitnessDraft {
  readonly loc: SourceLoc;
  path?: string;
  slot?: number;
  peerSlots?: number[];
  interval?: number;
  timeout?: number;
  fence?: ScriptSpec;
  fenceTimeout?: number;
}

export const newWitnessDraft = (node: ConfigNode, ctx: Ctx): { draft: WitnessDraft; ctx: Ctx } | null => {
  if (node.args.length) ctx.warn(CODES.unknownKeyword, node.loc, `${node.keyword} takes no arguments; "${node.args.join(' ')}" is ignored`);
  return { draft: { loc: node.loc }, ctx: ctx.within(node.keyword) };
};

const SLOT = uint(0, WITNESS_MAX_SLOTS - 1);

/** `peer_slot N [N…]`: one or more slots. */
const slots: ValueParser<number[]> = (args) => {
  if (!args.length) return bad('needs at least one slot number');
  const out: number[] = [];
  for (const a of args) {
    const n = parseInteger(a, false);
    if (n === null || n >= WITNESS_MAX_SLOTS) return bad(`slots are numbers from 0 to ${WITNESS_MAX_SLOTS - 1}, not "${a}"`);
    if (!out.includes(n)) out.push(n);
  }
  return ok(out);
};

const k = keywordsFor<WitnessDraft>();

export const WITNESS_KEYWORDS: Table<WitnessDraft> = {
  path: k.once('path', word),
  slot: k.once('slot', SLOT),
  peer_slot: k.once('peerSlots', slots),
  interval: k.value('interval', seconds(0.01, 3600)),
  timeout: k.value('timeout', seconds(0.02, 3600)),
  fence: k.once('fence', script),
  fence_timeout: k.value('fenceTimeout', seconds(0.01, 3600)),
};
