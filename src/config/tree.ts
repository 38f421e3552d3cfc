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
