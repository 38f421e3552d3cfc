/** Where a piece of configuration came from. `line` is 1-based in `file` (after include resolution). */
export interface Loc {
  readonly file: string;
  readonly line: number;
}

/**
 * One statement of keepalived.conf after lexing and preprocessing (includes, @conditionals, $parameters,
 * continuations, ~SEQ/~LST generators): a keyword, its arguments, and — when it opened a `{ … }` block —
 * its children. A keyword followed by `{ }` has children = [] ; one without a block has children = null.
 */
export interface ConfigNode {
  readonly keyword: string;
  readonly args: readonly string[];
  readonly loc: Loc;
  readonly children: readonly ConfigNode[] | null;
  /**
   * The statement's text after preprocessing, before it was split into words, kept only when a second
   * split could give other words (it holds a quote, a backslash or a '$'). keepalived re-reads this text
   * (buf_extern) with alloc_strvec_quoted_escaped() for scripts, misc_path and regex; the keyword handlers
   * that need single quotes and escapes re-split it with splitQuotedEscaped() (quoted.ts).
   */
  readonly text?: string;
}

export type Severity = 'error' | 'warning';

/** A finding about the configuration, printed as `FILE:LINE: level: message`. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable code, e.g. LVSD_E_CONFIG_SYNTAX, LVSD_W_CONFIG_UNKNOWN_KEYWORD. */
  readonly code: string;
  readonly loc: Loc;
  readonly message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.loc.file}:${d.loc.line}: ${d.severity}: ${d.message}`;
}
