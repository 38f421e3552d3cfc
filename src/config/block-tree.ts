// Matches braces into the ConfigNode tree. keepalived's process_stream() gives a '{' to the keyword just
// before it (on the same line or the next); a '{' anywhere else is "Unexpected '{'", a '}' with nothing open
// is "Extra '}'" and a block still open at the end is "missing '}'". The stream runs across include files,
// as keepalived reads them, so a block may open in one file and close in another.
import type { ConfigNode, Diagnostic, Loc } from './tree.js';
import { CODES, diag } from './options.js';

interface MutableNode {
  keyword: string;
  args: string[];
  loc: Loc;
  children: MutableNode[] | null;
  text?: string;
}

interface Frame {
  /** Where statements go: the owner's children, or the enclosing list for a stray '{'. */
  readonly list: MutableNode[];
  readonly owner: MutableNode | null;
  readonly loc: Loc;
}

/** Without quotes, backslashes or '$' the second split (ConfigNode.text) gives the same words. */
const RESPLIT = /["'\\$]/;

export class BlockTree {
  private readonly root: MutableNode[] = [];
  private readonly stack: Frame[] = [];
  /** The last statement of the current list, while nothing has followed it: it may take a '{'. */
  private pending: MutableNode | null = null;

  /** Set when blocks nest deeper than allowed: the caller stops reading (a file of '{' never ends otherwise). */
  limitReached = false;

  /** With a sink, finished top-level statements go there instead of staying in the tree. */
  constructor(
    private readonly diagnostics: { push(d: Diagnostic): void },
    private readonly maxDepth: number,
    private readonly sink?: (node: ConfigNode) => void,
  ) {}

  private get list(): MutableNode[] {
    return this.stack.length > 0 ? this.stack[this.stack.length - 1].list : this.root;
  }

  statement(words: readonly string[], text: string, loc: Loc): void {
    // The top-level statement before this one can no longer take a '{': it is complete.
    if (this.stack.length === 0) this.handOver();
    const node: MutableNode = { keyword: words[0], args: words.slice(1), loc, children: null };
    if (RESPLIT.test(text)) node.text = text;
    this.list.push(node);
    this.pending = node;
  }

  open(loc: Loc): void {
    const owner = this.pending;
    this.pending = null;
    if (this.stack.length >= this.maxDepth) {
      this.diagnostics.push(diag('error', CODES.limit, loc, `Blocks are nested more than ${this.maxDepth} deep; the configuration is not read further.`));
      this.limitReached = true;
      return;
    }
    if (!owner) {
      this.diagnostics.push(
        diag('error', CODES.syntax, loc, "Unexpected '{': it does not follow a keyword, so it opens no block."),
      );
      // Keep its contents in the enclosing block so its '}' does not close that block too early.
      this.stack.push({ list: this.list, owner: null, loc });
      return;
    }
    owner.children = [];
    this.stack.push({ list: owner.children, owner, loc });
  }

  close(loc: Loc): void {
    this.pending = null;
    if (this.stack.pop() === undefined) {
      this.diagnostics.push(diag('error', CODES.syntax, loc, "Unexpected '}': there is no open block to close."));
    }
    if (this.stack.length === 0) this.handOver();
  }

  /** Reports blocks still open (unless reading stopped early) and returns the top-level statements left. */
  finish(reportUnclosed: boolean): ConfigNode[] {
    for (const frame of reportUnclosed ? this.stack : []) {
      const what = frame.owner ? `Block '${frame.owner.keyword}'` : "The '{'";
      this.diagnostics.push(diag('error', CODES.syntax, frame.loc, `${what} opened here is never closed: a '}' is missing.`));
    }
    this.stack.length = 0;
    this.handOver();
    return this.root;
  }

  private handOver(): void {
    if (!this.sink) return;
    for (const node of this.root) this.sink(node);
    this.root.length = 0;
  }
}
