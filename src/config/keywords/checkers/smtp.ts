/**
 * SMTP_CHECK (keepalived check/check_smtp.c): helo_name, the common keywords, and the deprecated
 * `host { … }` blocks, each of which becomes one more SMTP checker sharing the parent's settings.
 */
import type { ConfigNode } from '../../tree.js';
import type { Ctx } from '../context.js';
import { keywordsFor, type Table } from '../table.js';
import { word } from '../values.js';
import { COMMON_KEYWORDS, type CheckerBaseDraft } from './common.js';

export interface SmtpDraft extends CheckerBaseDraft {
  readonly type: 'SMTP_CHECK';
  heloName?: string;
  hosts: CheckerBaseDraft[];
}

const k = keywordsFor<SmtpDraft>();

const newHost = (node: ConfigNode, ctx: Ctx): { draft: CheckerBaseDraft; ctx: Ctx } => ({ draft: { loc: node.loc }, ctx });

export const SMTP_KEYWORDS: Table<SmtpDraft> = {
  ...COMMON_KEYWORDS,
  helo_name: k.value('heloName', word),
  host: k.deprecated(k.block(newHost, COMMON_KEYWORDS, (d, host) => d.hosts.push(host)), 'define one SMTP_CHECK per host instead'),
};
