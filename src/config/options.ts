import type { ConfigNode, Diagnostic, Loc, Severity } from './tree.js';

/**
 * File access for the preprocessor, injected so lexing and preprocessing stay pure and a test can hand in
 * an in-memory tree. `node-fs.ts` implements it on node:fs.
 */
export interface ConfigFs {
  /**
   * The whole file as UTF-8 text; throws (any error) when it cannot be read. Past `maxBytes` it throws
   * FileTooLarge instead of reading on: a file's reported size is not trusted (/proc/self/pagemap says 0
   * and never ends).
   */
  readFile(path: string, maxBytes: number): string;
  /**
   * Paths matching `pattern` (no braces: include.ts expands those first), relative patterns resolved
   * against `cwd`. Absolute, sorted bytewise as glibc glob(3) does in the C locale, directories marked with a
   * trailing '/' (GLOB_MARK, so the caller can skip them as keepalived does), [] when nothing matches.
   */
  glob(pattern: string, cwd: string): string[];
}

/** Thrown by ConfigFs.readFile when a file holds more than the bytes it may still read. */
export class FileTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

/**
 * Bounds that keep every input finite in time and memory; each has a default in DEFAULT_LIMITS. Reaching
 * one is an LVSD_E_CONFIG_LIMIT error at the file:line where it happened, and (except maxDiagnostics)
 * the rest of the configuration is not read, so the result is never used. keepalived 2.2.7 has almost none
 * of these (issue 11: a file of '{' or an endless /proc file exhausted or aborted the daemon).
 */
export interface ParseLimits {
  /** Nested include depth (keepalived has none and recurses until it runs out of file descriptors). */
  readonly maxIncludeDepth: number;
  /** Files opened in total (refused ones too), so a diamond of includes cannot grow exponentially. */
  readonly maxFiles: number;
  /** Bytes read from all files together. */
  readonly maxBytes: number;
  /** Bytes (UTF-8) in one physical line. */
  readonly maxLineBytes: number;
  /** Lines read in total, each line made by ~SEQ/~LST or a multi-line parameter counting as one. */
  readonly maxStatements: number;
  /** Characters of all lines after ~SEQ/~LST and substitution together: what the tokenizer is given. */
  readonly maxExpandedBytes: number;
  /** Words and braces of all lines after expansion together: what the block tree holds. */
  readonly maxWords: number;
  /** Diagnostics kept; later ones are only counted, and one last diagnostic says how many. */
  readonly maxDiagnostics: number;
  /** Nested `{` levels. */
  readonly maxBlockDepth: number;
  /** Nesting of generators and multi-line parameter expansions inside one another. */
  readonly maxExpansionDepth: number;
  /** Parameter substitutions on one line (a definition that refers to itself never stops). */
  readonly maxSubstitutions: number;
  /** Characters in one line after substitution. */
  readonly maxLineLength: number;
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxIncludeDepth: 32,
  maxFiles: 1000,
  maxBytes: 64 * 1024 * 1024,
  maxLineBytes: 1024 * 1024,
  // The man page's own ~SEQ example reads 65024 × 17 lines (≈ 1.1 million, about 6 s and 300 MB here).
  maxStatements: 2_000_000,
  // 100,000 real servers written out take ~5 MB and ~1.5 million words: both budgets leave ten times that.
  maxExpandedBytes: 128 * 1024 * 1024,
  maxWords: 16_000_000,
  maxDiagnostics: 1000,
  maxBlockDepth: 64,
  maxExpansionDepth: 32,
  maxSubstitutions: 1024,
  maxLineLength: 65536,
};

export interface ParseOptions {
  /** keepalived's config id (`-i`, default the short host name — the caller passes it); selects `@ID` lines. */
  readonly configId?: string;
  /**
   * Value of `${_INSTANCE}`. keepalived 2.2.7 expands it to the config id (lib/parser.c get_instance), so
   * that is the default when this is not given.
   */
  readonly instance?: string;
  /** Name used for the top-level text in diagnostics and as the base for `${_PWD}` and relative includes. */
  readonly file?: string;
  /** Directory a relative `file` is resolved against. */
  readonly cwd?: string;
  /** keepalived `-e` / `--all-config`: every include is checked as by `includea`. */
  readonly allConfig?: boolean;
  readonly readFile?: (path: string, maxBytes: number) => string;
  readonly glob?: (pattern: string, cwd: string) => string[];
  /** `${_RANDOM MIN MAX}`: an integer in [min, max]. */
  readonly random?: (min: number, max: number) => number;
  readonly limits?: Partial<ParseLimits>;
  /**
   * Receives each top-level statement (with its block) as soon as it is complete, in order; `nodes` of the
   * result is then empty. A large configuration is built block by block instead of holding the whole tree.
   */
  readonly sink?: (node: ConfigNode) => void;
}

export interface ParseResult {
  /** The top-level statements, unless a `sink` took them. */
  readonly nodes: ConfigNode[];
  readonly diagnostics: Diagnostic[];
}

/** Stable diagnostic codes of the lexing and preprocessing stages. */
export const CODES = {
  syntax: 'LVSD_E_CONFIG_SYNTAX',
  include: 'LVSD_E_CONFIG_INCLUDE',
  includeWarning: 'LVSD_W_CONFIG_INCLUDE',
  conditional: 'LVSD_E_CONFIG_CONDITIONAL',
  conditionalWarning: 'LVSD_W_CONFIG_CONDITIONAL',
  param: 'LVSD_E_CONFIG_PARAM',
  undefinedParam: 'LVSD_W_CONFIG_UNDEFINED_PARAM',
  sequence: 'LVSD_E_CONFIG_SEQUENCE',
  limit: 'LVSD_E_CONFIG_LIMIT',
  continuation: 'LVSD_W_CONFIG_CONTINUATION',
} as const;

export function diag(severity: Severity, code: string, loc: Loc, message: string): Diagnostic {
  return { severity, code, loc, message };
}
