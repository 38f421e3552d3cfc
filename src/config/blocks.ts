// Stage 2 of the config parser: keepalived's read_line() pipeline as a pure function of the file contents.
// Per line, in keepalived's order: multi-line `$NAME=` definitions are gathered, then `@ID` conditionals,
// `$NAME=VALUE` definitions, ~SEQ/~LST generators and parameter substitution are applied until the line
// settles; an include statement reads other files in place; anything else becomes words and braces for
// the block tree. Every failure is a Diagnostic; the limits in ParseLimits keep every input finite.
import type { ConfigNode, Loc } from './tree.js';
import { CODES, FileTooLarge, diag, type ConfigFs, type ParseLimits, type ParseResult } from './options.js';
import { LineReader, tokenize, utf8Length, type SourceLine } from './lexer.js';
import { DiagnosticList } from './diagnostic-list.js';
import { applyConditional } from './conditional.js';
import { ParamTable, parseDefinition, type Builtins } from './params.js';
import { parseLst, parseSeq } from './sequence.js';
import { INCLUDE_ALL, INCLUDE_B, INCLUDE_M, INCLUDE_R, INCLUDE_W, applyIncludeCheck, parseInclude, resolveInclude, type IncludeLine } from './include.js';
import { BlockTree } from './block-tree.js';
import { dirname } from './path.js';

export interface ParseEnv {
  readonly fs: ConfigFs;
  readonly configId: string | undefined;
  readonly instance: string;
  readonly random: (min: number, max: number) => number;
  /** keepalived -e: every include is checked as `includea`. */
  readonly allConfig: boolean;
  readonly limits: ParseLimits;
  readonly sink?: (node: ConfigNode) => void;
}

/** The top-level configuration: its text, or null to read (and glob) `path` as keepalived -f does. */
export interface MainSource {
  /** Absolute path: base of relative includes and ${_PWD}. */
  readonly path: string;
  /** Name shown in diagnostics. */
  readonly display: string;
  readonly text: string | null;
}

interface FileCtx {
  readonly file: string;
  readonly dir: string;
  readonly builtins: Builtins;
}

/** Rounds of re-checking one line after substitution (each round is bounded by maxSubstitutions). */
const MAX_PASSES = 64;

/** A continued line that starts a definition, possibly after an `@ID` prefix, is a multi-line definition. */
const DEFINITION_START = /^(?:@\^?[^ \t]+[ \t]+)?\$[A-Za-z_][A-Za-z0-9_]*=/;

class Preprocessor {
  readonly diagnostics: DiagnosticList;
  private readonly params = new ParamTable();
  private readonly tree: BlockTree;
  private readonly reading: string[] = [];
  private filesOpened = 0;
  private bytesRead = 0;
  private linesRead = 0;
  private expandedBytes = 0;
  private words = 0;
  private stopped = false;
  /** include_check; saved when a file is opened and restored when it ends (keepalived.conf(5)). */
  private includeCheck = 0;
  private readonly reported = new Set<string>();

  constructor(private readonly env: ParseEnv) {
    this.diagnostics = new DiagnosticList(env.limits.maxDiagnostics);
    this.tree = new BlockTree(this.diagnostics, env.limits.maxBlockDepth, env.sink);
  }

  /** Adds a diagnostic once: a generator repeating a bad line does not repeat the finding. */
  private report(severity: 'error' | 'warning', code: string, loc: Loc, message: string): void {
    // Once the list is full the finding is only counted: the set of keys must not grow either.
    if (!this.diagnostics.room) {
      this.diagnostics.push(diag(severity, code, loc, message));
      return;
    }
    const key = `${loc.file}\0${loc.line}\0${code}\0${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(diag(severity, code, loc, message));
  }

  private stop(loc: Loc, message: string): void {
    if (!this.stopped) this.report('error', CODES.limit, loc, `${message} The rest of the configuration is not read.`);
    this.stopped = true;
  }

  run(main: MainSource): ParseResult {
    const whole: Loc = { file: main.display, line: 0 };
    if (main.text !== null) {
      if (this.openFile(whole) && this.addBytes(utf8Length(main.text), main.display, whole)) this.readText(main.path, main.display, main.text, whole);
    } else {
      // keepalived opens the -f file with open_glob_file(conf_file, INCLUDE_R | INCLUDE_M | INCLUDE_W).
      const top: FileCtx = { file: main.display, dir: '/', builtins: { dir: '/', instance: '', random: this.env.random } };
      this.include({ keyword: 'include', flags: INCLUDE_R | INCLUDE_M | INCLUDE_W, pattern: main.path }, whole, top);
    }
    const nodes = this.tree.finish(!this.stopped);
    return { nodes, diagnostics: this.diagnostics.finish() };
  }

  /** Counts a file against maxFiles (refused files too: a glob over /proc matches thousands). */
  private openFile(at: Loc): boolean {
    if (++this.filesOpened <= this.env.limits.maxFiles) return true;
    this.stop(at, `More than ${this.env.limits.maxFiles} configuration files were opened.`);
    return false;
  }

  /** Counts a file's bytes against maxBytes. */
  private addBytes(n: number, path: string, at: Loc): boolean {
    this.bytesRead += n;
    if (this.bytesRead <= this.env.limits.maxBytes) return true;
    this.stop(at, `Reading '${path}' makes the configuration larger than ${this.env.limits.maxBytes} bytes.`);
    return false;
  }

  private readFile(path: string, flags: number, at: Loc): void {
    if (this.stopped || !this.openFile(at)) return;
    let text: string;
    try {
      text = this.env.fs.readFile(path, this.env.limits.maxBytes - this.bytesRead);
    } catch (e) {
      if (e instanceof FileTooLarge) {
        this.stop(at, `Reading '${path}' makes the configuration larger than ${this.env.limits.maxBytes} bytes.`);
        return;
      }
      const why = e instanceof Error ? e.message : String(e);
      const severity = flags & INCLUDE_R ? 'error' : 'warning';
      this.report(severity, severity === 'error' ? CODES.include : CODES.includeWarning, at, `Configuration file '${path}' cannot be read (${why}); it is skipped.`);
      return;
    }
    // A ConfigFs that ignores maxBytes (an in-memory one) is held to it here.
    if (this.addBytes(utf8Length(text), path, at)) this.readText(path, path, text, at);
  }

  private readText(path: string, display: string, text: string, at: Loc): void {
    if (this.stopped) return;
    if (this.reading.includes(path)) {
      this.report('error', CODES.include, at, `Include cycle: '${path}' is already being read (${[...this.reading, path].join(' → ')}).`);
      return;
    }
    if (this.reading.length >= this.env.limits.maxIncludeDepth) {
      this.report('error', CODES.include, at, `Includes are nested more than ${this.env.limits.maxIncludeDepth} deep; '${path}' is not read.`);
      return;
    }
    const lines = new LineReader(text, display, (d) => this.report(d.severity, d.code, d.loc, d.message), this.env.limits.maxLineBytes);
    const saved = this.includeCheck;
    this.reading.push(path);
    const dir = dirname(path);
    this.readLines(lines, { file: display, dir, builtins: { dir, instance: this.env.instance, random: this.env.random } });
    this.stopped ||= lines.failed;
    this.reading.pop();
    this.includeCheck = saved;
  }

  private readLines(lines: LineReader, ctx: FileCtx): void {
    while (!this.stopped) {
      const rec = lines.next();
      if (rec === null) return;
      if (rec.text === '') continue;
      const loc: Loc = { file: ctx.file, line: rec.line };
      if (!rec.continued) {
        this.line(rec.text, loc, ctx, 0);
      } else if (DEFINITION_START.test(rec.text)) {
        this.multilineDefinition(rec, lines, loc);
      } else {
        // keepalived joins '\'-continued lines only inside $NAME= definitions and reads a trailing '\' of
        // any other line as a word; lvsd joins them and says it is not portable.
        let text = rec.text;
        for (let last = rec, n = lines.peek(); last.continued && n !== null && n.text !== ''; last = n, n = lines.peek()) {
          lines.next();
          text += ` ${n.text}`;
        }
        this.report('warning', CODES.continuation, loc, "Line continued with '\\': keepalived 2.2.7 only joins lines inside $NAME= definitions and would read the '\\' as a word.");
        this.line(text, loc, ctx, 0);
      }
    }
  }

  /**
   * `$NAME=… \` and the lines after it, as read_line() gathers them: each further line belongs to the
   * value while the previous one ended with '\'; an empty physical line ends it early; comment-only lines
   * are skipped.
   */
  private multilineDefinition(first: SourceLine, lines: LineReader, loc: Loc): void {
    const body: string[] = [];
    for (let more = true, l = lines.peek(); more && l !== null && !l.blank; l = lines.peek()) {
      lines.next();
      if (l.text === '') continue;
      body.push(l.text);
      more = l.continued;
    }
    const cond = applyConditional(first.text, this.env.configId);
    if (cond.kind === 'bad') this.report(cond.severity, cond.severity === 'error' ? CODES.conditional : CODES.conditionalWarning, loc, cond.message);
    // The whole definition is skipped with its '@ID' line; keepalived would read its body as statements.
    if (cond.kind === 'bad' || cond.kind === 'drop') return;
    const def = parseDefinition(cond.kind === 'keep' ? cond.text : first.text);
    if (def) this.params.set(def.name, [def.value, ...body].filter((l) => l !== ''), true);
  }

  /** One logical line: conditionals, definitions, generators and substitution until it settles. */
  private line(text: string, loc: Loc, ctx: FileCtx, depth: number): void {
    const limits = this.env.limits;
    if (this.stopped) return;
    if (++this.linesRead > limits.maxStatements) {
      this.stop(loc, `More than ${limits.maxStatements} lines result from ~SEQ/~LST and parameter expansion.`);
      return;
    }
    if (depth > limits.maxExpansionDepth) {
      // Fatal: with a generator in the loop the expansion would otherwise fan out exponentially.
      this.stop(loc, `~SEQ/~LST and multi-line parameters are nested more than ${limits.maxExpansionDepth} deep (a multi-line parameter probably uses itself).`);
      return;
    }
    const following: string[][] = [];
    if (!this.settle(text, loc, ctx, depth, following)) {
      this.report('error', CODES.param, loc, `The line did not settle after ${MAX_PASSES} rounds of conditionals and substitution.`);
    }
    // Lines of a value expanded later in the round come first, as keepalived's multiline stack reads them.
    for (const lines of following.reverse()) for (const f of lines) this.line(f, loc, ctx, depth + 1);
  }

  /**
   * Applies conditionals, definitions, generators and substitution until nothing changes; the lines of
   * multi-line values are added to `following`, one list per round. Returns false if it never settled.
   */
  private settle(text: string, loc: Loc, ctx: FileCtx, depth: number, following: string[][]): boolean {
    let cur = text;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const cond = applyConditional(cur, this.env.configId);
      if (cond.kind === 'bad') {
        this.report(cond.severity, cond.severity === 'error' ? CODES.conditional : CODES.conditionalWarning, loc, cond.message);
        return true;
      }
      if (cond.kind === 'drop') return true;
      if (cond.kind === 'keep') cur = cond.text;
      const def = parseDefinition(cur);
      if (def) {
        this.params.set(def.name, [def.value]);
        return true;
      }
      if (cur.startsWith('~SEQ') || cur.startsWith('~LST')) {
        this.generator(cur, loc, ctx, depth);
        return true;
      }
      if (cur.startsWith('~')) {
        this.emit(cur, loc, ctx);
        return true;
      }
      const e = this.params.expand(cur, ctx.builtins, this.env.limits);
      if (e.error !== undefined) {
        this.report('error', CODES.param, loc, e.error);
        return true;
      }
      if (e.following.length > 0) following.push([...e.following]);
      cur = e.text;
      // read_line() goes round again when the result starts with '@' or still holds a '$'.
      if (!e.changed || !(cur.startsWith('@') || cur.includes('$') || e.stoppedAtGenerator)) {
        if (cur !== '') this.emit(cur, loc, ctx);
        return true;
      }
    }
    return false;
  }

  private generator(text: string, loc: Loc, ctx: FileCtx, depth: number): void {
    const expandArgs = (s: string): string | null => {
      const e = this.params.expand(s, ctx.builtins, this.env.limits);
      return e.error !== undefined || e.following.length > 0 ? null : e.text;
    };
    const parsed = text.startsWith('~SEQ') ? parseSeq(text, expandArgs) : parseLst(text);
    if ('error' in parsed) {
      this.report('error', CODES.sequence, loc, parsed.error);
      return;
    }
    const g = parsed.generator;
    const budget = this.env.limits.maxStatements - this.linesRead;
    if (g.count > budget) {
      this.stop(loc, `'${text.slice(0, 60)}' would produce ${g.count} lines, more than the ${this.env.limits.maxStatements} allowed.`);
      return;
    }
    for (let k = 0; k < g.count && !this.stopped; k++) {
      for (const [name, value] of g.bindings(k)) this.params.set(name, [value]);
      this.line(g.text, loc, ctx, depth + 1);
    }
  }

  /** A settled line: an include, or statements and braces for the tree. */
  private emit(text: string, loc: Loc, ctx: FileCtx): void {
    const limits = this.env.limits;
    this.expandedBytes += text.length;
    if (this.expandedBytes > limits.maxExpandedBytes) {
      this.stop(loc, `~SEQ/~LST and parameter expansion produce more than ${limits.maxExpandedBytes} characters.`);
      return;
    }
    const inc = parseInclude(text);
    if (inc) {
      this.include(inc, loc, ctx);
      return;
    }
    for (const u of this.params.unexpanded(text)) {
      const message = u.multilineMidLine
        ? `Multi-line parameter $${u.name} is only expanded at the end of a line; here it is left as written.`
        : `Parameter $${u.name} is not defined, so it is left as written.`;
      this.report('warning', CODES.undefinedParam, loc, message);
    }
    // An unterminated '"' was reported by the lexer for its physical line; the tokenizer's flag adds nothing.
    const { tokens } = tokenize(text);
    this.words += tokens.length;
    if (this.words > limits.maxWords) {
      this.stop(loc, `The configuration holds more than ${limits.maxWords} words and braces after expansion.`);
      return;
    }
    let words: string[] = [];
    let from = 0;
    let to = 0;
    const flush = (): void => {
      if (words.length === 0) return;
      const piece = text.slice(from, to);
      // `… { include x.conf }`: keepalived would take "x.conf }" as the pattern; lvsd stops at the brace.
      const inc = parseInclude(piece);
      if (inc) this.include(inc, loc, ctx);
      else this.statement(words, piece, loc);
      words = [];
    };
    for (const t of tokens) {
      if (t.kind === 'word') {
        if (words.length === 0) from = t.start;
        words.push(t.text);
        to = t.end;
        continue;
      }
      flush();
      if (t.kind === 'open') this.tree.open(loc);
      else this.tree.close(loc);
      if (this.tree.limitReached) {
        this.stopped = true;
        return;
      }
    }
    flush();
  }

  private statement(words: string[], text: string, loc: Loc): void {
    if (words[0] === 'include_check') {
      const r = applyIncludeCheck(this.includeCheck, words.slice(1));
      this.includeCheck = r.flags;
      for (const p of r.problems) this.report('error', CODES.syntax, loc, p);
    }
    this.tree.statement(words, text, loc);
  }

  private include(inc: IncludeLine, loc: Loc, ctx: FileCtx): void {
    if (inc.pattern === '') {
      this.report('error', CODES.include, loc, `'${inc.keyword}' needs a file name or glob pattern.`);
      return;
    }
    const flags = inc.flags | this.includeCheck | (this.env.allConfig ? INCLUDE_ALL : 0);
    const r = resolveInclude(inc.pattern, ctx.dir, (p, cwd) => this.env.fs.glob(p, cwd));
    let abandon = false;
    for (const p of r.problems) {
      const checked = (flags & p.flag) !== 0;
      if (checked) this.report('error', CODES.include, loc, p.message);
      // keepalived stays silent about an unmatched wildcard unless wildcard_match is checked.
      else if (p.flag !== INCLUDE_W) this.report('warning', CODES.includeWarning, loc, p.message);
      // A failed brace_match abandons the whole include (open_and_check_glob()).
      abandon ||= checked && p.flag === INCLUDE_B;
    }
    if (abandon) return;
    for (const f of r.files) {
      if (this.stopped) return;
      this.readFile(f, flags, loc);
    }
  }
}

/** Lexes, preprocesses and builds the block tree. Pure given `env.fs`; never throws for any input. */
export function parseBlocks(main: MainSource, env: ParseEnv): ParseResult {
  const p = new Preprocessor(env);
  try {
    return p.run(main);
  } catch (e) {
    // A bug, not a property of the input; reported as a value so a caller never has to catch.
    const why = e instanceof Error ? e.message : String(e);
    const diagnostics = [...p.diagnostics.finish(), diag('error', 'LVSD_E_CONFIG_INTERNAL', { file: main.display, line: 0 }, `The configuration parser failed unexpectedly: ${why}`)];
    return { nodes: [], diagnostics };
  }
}
