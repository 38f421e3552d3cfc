/** HTTP_GET and SSL_GET keywords, with their url sub-blocks (keepalived check/check_http.c). */
import type { HttpRegex, SourceLoc } from '../../../model/config.js';
import type { ConfigNode } from '../../tree.js';
import { CODES, type Ctx } from '../context.js';
import { keywordsFor, type Table } from '../table.js';
import { bad, flag, ok, oneOf, parseInteger, quotedWord, uint, word, type ValueParser } from '../values.js';
import { COMMON_KEYWORDS, type CheckerBaseDraft } from './common.js';

export interface UrlDraft {
  readonly loc: SourceLoc;
  path?: string;
  digest?: string;
  statusCodes: [number, number][];
  virtualhost?: string;
  regex?: string;
  regexNoMatch?: boolean;
  regexOptions: string[];
  regexMinOffset?: number;
  regexMaxOffset?: number;
  regexStack?: { start: number; max: number };
}

export interface HttpDraft extends CheckerBaseDraft {
  readonly type: 'HTTP_GET' | 'SSL_GET';
  httpProtocol?: '1.0' | '1.0C' | '1.1';
  fastRecovery?: boolean;
  enableSni?: boolean;
  virtualhost?: string;
  urls: UrlDraft[];
}

/** HTTP_STATUS_CODE_MIN..MAX (check_http.h). */
const STATUS_MIN = 100;
const STATUS_MAX = 599;

/** `N` or `N-M`, each 100..599 (status_code_handler). */
const statusCodes: ValueParser<[number, number][]> = (args) => {
  if (args.length === 0) return bad('needs codes such as 200 or 200-299');
  const out: [number, number][] = [];
  for (const a of args) {
    const [lo, hi = lo] = a.split('-').map((x) => parseInteger(x, false));
    if (lo == null || hi == null || lo < STATUS_MIN || hi > STATUS_MAX || lo > hi || a.split('-').length > 2) {
      return bad(`must be codes or ranges of codes from ${STATUS_MIN} to ${STATUS_MAX}, not "${a}"`);
    }
    out.push([lo, hi]);
  }
  return ok(out);
};

/** 32 hex digits of an MD5 (digest_handler). */
const digest: ValueParser<string> = (args) => {
  const s = args[0] ?? '';
  return /^[0-9a-fA-F]{32}$/.test(s) ? ok(s.toLowerCase()) : bad(`must be 32 hexadecimal digits (an MD5 from genhash), not "${s}"`);
};

/** The PCRE2 options keepalived's regex_options knows (check_http.c regex_options[]). */
const REGEX_OPTIONS = new Set(['allow_empty_class', 'alt_bsux', 'auto_callout', 'caseless', 'dollar_endonly', 'dotall', 'dupnames', 'extended', 'firstline', 'match_unset_backref', 'multiline', 'never_ucp', 'never_utf', 'no_auto_capture', 'no_auto_possess', 'no_dotstar_anchor', 'no_start_optimize', 'ucp', 'ungreedy', 'utf', 'never_backslash_c', 'alt_circumflex', 'alt_verbnames', 'use_offset_limit']);

const u = keywordsFor<UrlDraft>();
const OFFSET = uint(0, Number.MAX_SAFE_INTEGER);

export const URL_KEYWORDS: Table<UrlDraft> = {
  path: u.value('path', word),
  digest: u.once('digest', digest),
  status_code: u.custom((d, node, ctx) => {
    const r = statusCodes(node.args);
    if (r.ok) d.statusCodes.push(...r.value);
    else ctx.invalid(node, r.error);
  }),
  virtualhost: u.value('virtualhost', word),
  regex: u.value('regex', quotedWord),
  regex_no_match: u.custom((d) => { d.regexNoMatch = true; }),
  regex_options: u.custom((d, node, ctx) => {
    for (const o of node.args) {
      if (REGEX_OPTIONS.has(o)) d.regexOptions.push(o);
      else ctx.warn(CODES.unknownKeyword, node.loc, `unknown regex option ${o} is ignored`);
    }
  }),
  regex_min_offset: u.value('regexMinOffset', OFFSET),
  regex_max_offset: u.value('regexMaxOffset', OFFSET),
  regex_stack: u.custom((d, node, ctx) => {
    const [start, max] = node.args.map((a) => parseInteger(a, false));
    if (node.args.length !== 2 || start == null || max == null || start > max) return ctx.invalid(node, 'needs START and MAX sizes with START <= MAX');
    d.regexStack = { start, max };
  }),
};

export function newUrl(node: ConfigNode, ctx: Ctx): { draft: UrlDraft; ctx: Ctx } {
  return { draft: { loc: node.loc, statusCodes: [], regexOptions: [] }, ctx };
}

/** url_check: a url needs a path; regex settings without a regex are dropped. */
export function urlRegex(d: UrlDraft, ctx: Ctx): HttpRegex | null {
  if (d.regex === undefined) {
    if (d.regexNoMatch || d.regexOptions.length || d.regexMinOffset || d.regexMaxOffset || d.regexStack) {
      ctx.warn(CODES.adjusted, d.loc, 'regex options are given without a regex and are ignored');
    }
    return null;
  }
  let min = d.regexMinOffset ?? 0;
  // regex_max_offset is stored one beyond the last acceptable position.
  let max = d.regexMaxOffset === undefined ? 0 : d.regexMaxOffset + 1;
  if (max && min >= max) {
    ctx.warn(CODES.adjusted, d.loc, 'regex_min_offset is not below regex_max_offset; both are ignored');
    min = max = 0;
  }
  return { pattern: d.regex, noMatch: d.regexNoMatch ?? false, options: d.regexOptions, minOffset: min, maxOffset: max, stack: d.regexStack ?? null };
}

const h = keywordsFor<HttpDraft>();

export const HTTP_KEYWORDS: Table<HttpDraft> = {
  ...COMMON_KEYWORDS,
  nb_get_retry: h.deprecated(h.value('retry', uint(0, 0xffffffff)), "use 'retry'"),
  virtualhost: h.value('virtualhost', word),
  http_protocol: h.value('httpProtocol', oneOf({ '1.0': '1.0', '1.1': '1.1', '1.0C': '1.0C', '1.0c': '1.0C' } as const)),
  enable_sni: h.value('enableSni', flag),
  fast_recovery: h.value('fastRecovery', flag),
  url: h.block(newUrl, URL_KEYWORDS, (d, url) => d.urls.push(url)),
};
