// keepalived.conf(5) "Conditional configuration and configuration id": a line starting '@ID' is kept only
// when ID equals the config id, '@^ID' only when it does not. The id runs from after '@' (or '@^') to the
// first blank; the statement follows the blanks (read_line() in lib/parser.c).

export type Conditional =
  /** The line does not start with '@'. */
  | { readonly kind: 'none' }
  /** The condition holds: `text` is the statement without the '@ID' prefix. */
  | { readonly kind: 'keep'; readonly text: string }
  /** The condition fails: the line is ignored. */
  | { readonly kind: 'drop' }
  /** Not a usable conditional; keepalived silently drops such lines, lvsd says why. */
  | { readonly kind: 'bad'; readonly severity: 'error' | 'warning'; readonly message: string };

export function applyConditional(text: string, configId: string | undefined): Conditional {
  if (!text.startsWith('@')) return { kind: 'none' };
  const negate = text[1] === '^';
  const idStart = negate ? 2 : 1;
  const blank = text.slice(idStart).search(/[ \t]/);
  const id = blank < 0 ? text.slice(idStart) : text.slice(idStart, idStart + blank);
  if (id === '') {
    // keepalived compares an empty id with the config id, so '@ x' is never kept and '@^ x' always is —
    // almost certainly a stray blank, so it is an error rather than a silent surprise.
    return {
      kind: 'bad',
      severity: 'error',
      message: `'${negate ? '@^' : '@'}' must be followed directly by a config id, as in '@main router_id r1'.`,
    };
  }
  if (blank < 0) {
    return {
      kind: 'bad',
      severity: 'warning',
      message: `Conditional '${text}' has no statement after the config id and is ignored.`,
    };
  }
  const matches = configId !== undefined && id === configId;
  if (matches === negate) return { kind: 'drop' };
  return { kind: 'keep', text: text.slice(idStart + blank).replace(/^[ \t]+/, '') };
}
