/**
 * Keyword tables: each block type lists its keywords as data — which draft field a keyword sets and with
 * which value parser, which sub-block it opens, what lvsd ignores — the way keepalived's install_keyword
 * lists do, but writing into an explicit draft instead of keepalived's current_vs/current_rs globals.
 * applyBlock walks a block's statements through a table.
 */
import type { ConfigNode } from '../tree.js';
import { CODES, type Ctx } from './context.js';
import { PLACEMENT } from './placement.js';
import type { ValueParser } from './values.js';

/** Whether the keyword opens a `{ … }` block. */
export type BlockShape = 'none' | 'required' | 'optional';

export interface Entry<D> {
  readonly block: BlockShape;
  /** Read the arguments with keepalived's quoted/escaped split (see ValueParser.quoted). */
  readonly quoted?: boolean;
  handle(draft: D, node: ConfigNode, ctx: Ctx): void;
}

export type Table<D> = Readonly<Record<string, Entry<D>>>;

/** The entry constructors for drafts of type D (bound once per table so field names are checked). */
export function keywordsFor<D>() {
  /** KEYWORD VALUE…: parse the arguments into draft[key]. */
  function value<K extends keyof D>(key: K, parse: ValueParser<D[K]>): Entry<D> {
    return {
      block: 'none',
      quoted: parse.quoted ?? false,
      handle(d, node, ctx) {
        const r = parse(node.args);
        if (r.ok) d[key] = r.value;
        else ctx.invalid(node, r.error);
      },
    };
  }

  /** A keepalived feature lvsd does not implement: accepted with one warning naming what is ignored. */
  function ignored(what: string): Entry<D> {
    return { block: 'optional', handle: (_d, node, ctx) => ctx.diag.ignoredOnce(node.keyword, node.loc, what) };
  }

  return {
    value,
    ignored,

    /** Like value, but keepalived keeps the first and ignores repeats ("already specified - ignoring"). */
    once<K extends keyof D>(key: K, parse: ValueParser<D[K]>): Entry<D> {
      const inner = value(key, parse);
      return {
        block: 'none',
        quoted: inner.quoted ?? false,
        handle(d, node, ctx) {
          if (d[key] === undefined) inner.handle(d, node, ctx);
          else ctx.warn(CODES.adjusted, node.loc, `${node.keyword} is already set; this one is ignored`);
        },
      };
    },

    /** Several ignored keywords sharing one reason, ready to spread into a table. */
    ignoring(what: string, keywords: readonly string[]): Table<D> {
      const entry = ignored(what);
      return Object.fromEntries(keywords.map((kw) => [kw, entry]));
    },

    /** KEYWORD VALUE… handled by code (several fields, or a cross-field rule); `quoted` as Entry.quoted. */
    custom(handle: (d: D, node: ConfigNode, ctx: Ctx) => void, block: BlockShape = 'none', quoted = false): Entry<D> {
      return { block, quoted, handle };
    },

    /** KEYWORD { LINE… }: each line (keyword and arguments) parsed and handed to add. */
    lines<T>(parse: ValueParser<T>, add: (d: D, item: T, line: ConfigNode, ctx: Ctx) => void): Entry<D> {
      return {
        block: 'required',
        handle(d, node, ctx) {
          for (const line of node.children ?? []) {
            if (line.children !== null) ctx.error(CODES.placement, line.loc, `${node.keyword} entries cannot open a { } block`);
            const r = parse([line.keyword, ...line.args]);
            if (r.ok) add(d, r.value, line, ctx);
            else {
              ctx.reject(node.keyword);
              ctx.error(CODES.value, line.loc, `${node.keyword}: ${r.error}`);
            }
          }
        },
      };
    },

    /** KEYWORD { WORD WORD … }: every word of every line (keepalived read_value_block). */
    words(add: (d: D, words: string[], node: ConfigNode) => void): Entry<D> {
      return {
        block: 'required',
        handle(d, node) {
          add(d, (node.children ?? []).flatMap((l) => [l.keyword, ...l.args]), node);
        },
      };
    },

    /**
     * KEYWORD ARGS { … }: make a child draft from the header (null = rejected, already reported), read the
     * block through its table, then attach it.
     */
    block<C>(
      make: (node: ConfigNode, ctx: Ctx) => { draft: C; ctx: Ctx } | null,
      table: Table<C>,
      attach: (d: D, child: C, node: ConfigNode, ctx: Ctx) => void,
    ): Entry<D> {
      return {
        block: 'required',
        handle(d, node, ctx) {
          const made = make(node, ctx);
          if (!made) return;
          applyBlock(table, node.children, made.draft, made.ctx);
          attach(d, made.draft, node, made.ctx);
        },
      };
    },

    /** An old spelling keepalived still reads: warns, then behaves as `entry`. */
    deprecated(entry: Entry<D>, advice: string): Entry<D> {
      return {
        block: entry.block,
        quoted: entry.quoted ?? false,
        handle(d, node, ctx) {
          ctx.warn(CODES.deprecated, node.loc, `${node.keyword} is deprecated; ${advice}`);
          entry.handle(d, node, ctx);
        },
      };
    },
  };
}

/** Reads a block's statements into draft through table; unknown keywords are warnings, as in keepalived. */
export function applyBlock<D>(table: Table<D>, nodes: readonly ConfigNode[] | null, draft: D, ctx: Ctx): void {
  for (const node of nodes ?? []) {
    const entry = Object.hasOwn(table, node.keyword) ? table[node.keyword] : undefined;
    if (!entry) {
      unknown(node, ctx);
      continue;
    }
    if (entry.block === 'required' && node.children === null) {
      ctx.error(CODES.missing, node.loc, `${node.keyword} needs a { … } block`);
      continue;
    }
    if (entry.block === 'none' && node.children !== null) {
      ctx.warn(CODES.unknownKeyword, node.loc, `${node.keyword} does not take a { } block; its contents are ignored`);
    }
    entry.handle(draft, entry.quoted ? ctx.requoted(node) : node, ctx);
  }
}

/** A block keyword that belongs elsewhere is an error (its contents would be lost); anything else a warning. */
function unknown(node: ConfigNode, ctx: Ctx): void {
  const home = Object.hasOwn(PLACEMENT, node.keyword) ? PLACEMENT[node.keyword] : undefined;
  if (home !== undefined && node.children !== null) {
    ctx.error(CODES.placement, node.loc, `${node.keyword} is only valid ${home}`);
    return;
  }
  ctx.warn(CODES.unknownKeyword, node.loc, `unknown keyword ${node.keyword}`);
}
