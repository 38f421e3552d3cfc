// Stage 1 of the config parser: physical lines → comment-free text with file:line, and a finished line →
// words and braces. The rules are keepalived 2.2.7's (lib/parser.c decomment(), read_line() brace
// splitting, alloc_strvec_r()); where they differ from the man page the comment says which one wins.
import type { Diagnostic } from './tree.js';
import { CODES, diag } from './options.js';
import { scanRef } from './params.js';

/** One physical line after comment removal. */
export interface SourceLine {
  /** 1-based line number in its file. */
  readonly line: number;
  /** Text without comment, leading/trailing blanks and continuation backslash; '' if nothing is left. */
  readonly text: string;
  /** The physical line was empty. keepalived ends a multi-line `$NAME=` definition there (read_line). */
  readonly blank: boolean;
  /** The line ended with an unescaped '\'. */
  readonly continued: boolean;
  /** A '"' opened on this line is never closed (already reported). */
  readonly quoteError: boolean;
}

export interface Decommented {
  readonly text: string;
  readonly continued: boolean;
  readonly quoteError: boolean;
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t';

/**
 * keepalived's decomment(): '#' or '!' outside double quotes starts a comment (single quotes do not
 * protect them — a '!' in an auth_pass is a comment, keepalived issue #955); '\#' and '\!' outside quotes
 * are a literal '#' or '!'; any other '\C' is kept for the word splitter; a final '\' continues the line.
 * Unlike 2.2.7 a '\' at the end of a comment does not continue the line (fixed in keepalived a0501190).
 */
export function decomment(raw: string): Decommented {
  let i = 0;
  while (i < raw.length && isBlank(raw[i])) i++;
  // Most lines hold none of the four characters: one slice instead of a string built a character at a time.
  if (!SPECIAL.test(raw)) return { text: raw.slice(i, trimmedEnd(raw, raw.length)), continued: false, quoteError: false };
  let out = '';
  let quote = false;
  let continued = false;
  for (; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') {
      quote = !quote;
      out += c;
    } else if (c === '\\') {
      if (i + 1 >= raw.length) {
        continued = true;
        break;
      }
      const next = raw[++i];
      out += !quote && (next === '#' || next === '!') ? next : c + next;
    } else if (!quote && (c === '#' || c === '!')) {
      break;
    } else {
      out += c;
    }
  }
  return { text: out.slice(0, trimmedEnd(out, out.length)), continued, quoteError: quote };
}

const SPECIAL = /["\\#!]/;

function trimmedEnd(s: string, end: number): number {
  while (end > 0 && isBlank(s[end - 1])) end--;
  return end;
}

/** UTF-8 length of a JS string: surrogate pairs are 4 bytes, other units above 0x7ff 3, above 0x7f 2. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * A file's SourceLines, lexed one at a time as the preprocessor reads them (with one line of look-ahead),
 * so a large file never exists as an array of lines. '\r' before '\n' is dropped, as keepalived strips
 * both; a final '\n' ends the last line rather than starting an empty one. An unclosed '"' is reported
 * through `report` when its line is lexed. A line longer than `maxLineBytes` or holding a NUL byte (a
 * binary file: keepalived's fgets would silently cut the line there) is reported and ends the file, with
 * `failed` set so the caller stops reading altogether.
 */
export class LineReader {
  private pos = 0;
  private count = 0;
  private ahead: SourceLine | null = null;
  failed = false;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly report: (d: Diagnostic) => void,
    private readonly maxLineBytes = Number.POSITIVE_INFINITY,
  ) {}

  peek(): SourceLine | null {
    this.ahead ??= this.lex();
    return this.ahead;
  }

  next(): SourceLine | null {
    const line = this.peek();
    this.ahead = null;
    return line;
  }

  private fail(line: number, code: string, message: string): null {
    this.report(diag('error', code, { file: this.file, line }, message));
    this.failed = true;
    this.pos = this.text.length;
    return null;
  }

  private lex(): SourceLine | null {
    if (this.pos >= this.text.length) return null;
    const newline = this.text.indexOf('\n', this.pos);
    const end = newline < 0 ? this.text.length : newline;
    const line = ++this.count;
    // Checked before the line is copied: a 50 MB line is refused without being split into words.
    const units = end - this.pos;
    if (units > this.maxLineBytes || (units * 3 > this.maxLineBytes && utf8Length(this.text.slice(this.pos, end)) > this.maxLineBytes)) {
      return this.fail(line, CODES.limit, `The line is longer than ${this.maxLineBytes} bytes; the configuration is not read further.`);
    }
    const physical = this.text.slice(this.pos, end).replace(/\r+$/, '');
    if (physical.includes('\0')) {
      return this.fail(line, CODES.syntax, 'The line holds a NUL byte: this is not a text file; the configuration is not read further.');
    }
    this.pos = end + 1;
    const d = decomment(physical);
    if (d.quoteError) {
      this.report(diag('error', CODES.syntax, { file: this.file, line }, 'A double quote (") opened on this line is never closed.'));
    }
    return { line, text: d.text, blank: physical === '', continued: d.continued, quoteError: d.quoteError };
  }
}

export type TokenKind = 'word' | 'open' | 'close';

export interface Token {
  readonly kind: TokenKind;
  /** The word without its double quotes; '{' or '}' for braces. */
  readonly text: string;
  /** Offsets of the token (quotes included) in the tokenized text. */
  readonly start: number;
  readonly end: number;
}

const WHITE = ' \t\f\n\r\v';

/**
 * Words and braces of one finished line. As keepalived: words split at white space; a '"' anywhere starts a
 * quoted word that runs to the next '"' with no escapes (alloc_strvec_r); '{' and '}' outside double quotes
 * are tokens of their own even when glued to a word (read_line splits the line there). One deliberate
 * difference: a `${NAME}` left unexpanded (undefined) stays one word, where keepalived would split its
 * braces and derail the block structure; the preprocessor warns about it instead.
 */
export function tokenize(text: string): { tokens: Token[]; unmatchedQuote: boolean } {
  const tokens: Token[] = [];
  let unmatchedQuote = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (WHITE.includes(c)) {
      i++;
    } else if (c === '{' || c === '}') {
      tokens.push({ kind: c === '{' ? 'open' : 'close', text: c, start: i, end: i + 1 });
      i++;
    } else if (c === '"') {
      const close = text.indexOf('"', i + 1);
      const end = close < 0 ? text.length : close + 1;
      if (close < 0) unmatchedQuote = true;
      tokens.push({ kind: 'word', text: text.slice(i + 1, close < 0 ? text.length : close), start: i, end });
      i = end;
    } else {
      const start = i;
      while (i < text.length) {
        const d = text[i];
        if (WHITE.includes(d) || d === '"' || d === '{' || d === '}') break;
        const ref = d === '$' && text[i + 1] === '{' ? scanRef(text, i) : null;
        i = ref ? ref.end : i + 1;
      }
      tokens.push({ kind: 'word', text: text.slice(start, i), start, end: i });
    }
  }
  return { tokens, unmatchedQuote };
}
