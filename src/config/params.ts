// keepalived.conf(5) "Parameter substitution": `$NAME=VALUE` defines, `$NAME` (followed by a blank, ',',
// ')' or the end of the line) or `${NAME}` uses; undefined names stay as written; substitution happens when
// the line is read and is repeated on the replacement, so definitions may refer to later ones.
// Matching rules are find_definition()/replace_param() of keepalived 2.2.7 lib/parser.c.

/** A definition: one line, or several for a multi-line (`\`-continued) one. */
export interface Definition {
  readonly lines: readonly string[];
  /** Multi-line definitions are only expanded when the reference ends the line (find_definition()). */
  readonly multiline: boolean;
}

/** What the pre-defined names expand to (keepalived.conf(5) "Pre-defined definitions"). */
export interface Builtins {
  /** Directory of the file being read: `${_PWD}`. */
  readonly dir: string;
  /** `${_INSTANCE}`. */
  readonly instance: string;
  /** `${_RANDOM [MIN [MAX]]}`, defaults 0 and 32767. */
  readonly random: (min: number, max: number) => number;
}

export interface ExpandLimits {
  readonly maxSubstitutions: number;
  readonly maxLineLength: number;
}

export interface Expansion {
  readonly text: string;
  readonly changed: boolean;
  /** Remaining lines of multi-line definitions, to be read after this line, in order. */
  readonly following: readonly string[];
  /** A substituted value began with '~': keepalived stops there so a generator runs before its variables expand. */
  readonly stoppedAtGenerator: boolean;
  readonly error?: string;
}

interface Ref {
  readonly name: string;
  /** Index after the reference. */
  readonly end: number;
  /** Digits and spaces inside `${NAME …}`, or null. */
  readonly params: string | null;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** The reference starting at s[i] === '$', by shape only (defined or not). */
export function scanRef(s: string, i: number): Ref | null {
  let j = i + 1;
  const braces = s[j] === '{';
  if (braces) j++;
  if (j >= s.length || !NAME_START.test(s[j])) return null;
  let k = j + 1;
  while (k < s.length && NAME_CHAR.test(s[k])) k++;
  const name = s.slice(j, k);
  if (!braces) {
    const c = s[k];
    if (k < s.length && c !== ' ' && c !== '\t' && c !== ',' && c !== ')') return null;
    return { name, end: k, params: null };
  }
  let first = -1;
  let last = -1;
  while (k < s.length && (s[k] === ' ' || (s[k] >= '0' && s[k] <= '9'))) {
    if (s[k] !== ' ') {
      if (first < 0) first = k;
      last = k;
    }
    k++;
  }
  // "Ensure don't end with a space" — `${_RANDOM 1 }` is not a reference.
  if (first >= 0 && last + 1 !== k) return null;
  if (s[k] !== '}') return null;
  return { name, end: k + 1, params: first >= 0 ? s.slice(first, last + 1) : null };
}

/** `$NAME=VALUE` (no blank before '='; blanks after it skipped), or null. */
export function parseDefinition(text: string): { name: string; value: string } | null {
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*)=[ \t]*/.exec(text);
  return m ? { name: m[1], value: text.slice(m[0].length) } : null;
}

/** Parameter definitions of one parse; the ~SEQ/~LST generators set them too. */
export class ParamTable {
  private readonly defs = new Map<string, Definition>();

  set(name: string, lines: readonly string[], multiline = false): void {
    // keepalived clears `multiline` when a multi-line definition turned out empty.
    this.defs.set(name, { lines, multiline: multiline && lines.length > 0 });
  }

  has(name: string): boolean {
    return this.defs.has(name) || BUILTIN_PARAMS.has(name);
  }

  get(name: string): Definition | undefined {
    return this.defs.get(name);
  }

  /** The value of a reference, or null when it does not apply (see find_definition()). */
  private value(ref: Ref, atEnd: boolean, b: Builtins): { def: Definition } | { error: string } | null {
    const user = this.defs.get(ref.name);
    if (user) {
      if (ref.params !== null) return null;
      if (user.multiline && !atEnd) return null;
      return { def: user };
    }
    const max = BUILTIN_PARAMS.get(ref.name);
    if (max === undefined || (ref.params !== null && max === 0)) return null;
    const one = (v: string): { def: Definition } => ({ def: { lines: [v], multiline: false } });
    switch (ref.name) {
      case '_PWD':
        return one(b.dir);
      case '_INSTANCE':
        return one(b.instance);
      case '_HASH':
        return one('#');
      case '_BANG':
        return one('!');
      default: {
        const nums = (ref.params ?? '').split(' ').filter((w) => w !== '').map(Number);
        const min = nums[0] ?? 0;
        const max2 = nums[1] ?? 32767;
        if (nums.length > 2) return { error: `\${_RANDOM} takes at most MIN and MAX, but got '${ref.params}'.` };
        if (min > max2) return { error: `\${_RANDOM ${ref.params}} has MIN greater than MAX.` };
        return one(String(b.random(min, max2)));
      }
    }
  }

  /**
   * Substitutes every defined reference, rescanning each replacement (so nested definitions expand), as
   * replace_param() does. A multi-line value puts its first line in place and returns the rest in
   * `following`; a reference inside those lines is expanded when they are read.
   */
  expand(text: string, b: Builtins, limits: ExpandLimits): Expansion {
    let out = text;
    let following: string[] = [];
    let changed = false;
    let count = 0;
    let i = out.indexOf('$');
    while (i >= 0 && i + 1 < out.length) {
      const ref = scanRef(out, i);
      const v = ref ? this.value(ref, ref.end === out.length, b) : null;
      if (!ref || !v) {
        i = out.indexOf('$', i + 1);
        continue;
      }
      if ('error' in v) return { text: out, changed, following, stoppedAtGenerator: false, error: v.error };
      if (++count > limits.maxSubstitutions) {
        return {
          text: out,
          changed,
          following,
          stoppedAtGenerator: false,
          error: `Parameter substitution did not finish after ${limits.maxSubstitutions} replacements; a definition probably refers to itself (last: $${ref.name}).`,
        };
      }
      changed = true;
      const lines = v.def.lines;
      const replacement = v.def.multiline ? (lines[0] ?? '') : lines.join('\n');
      if (v.def.multiline) following = [...lines.slice(1), ...following];
      out = out.slice(0, i) + replacement + out.slice(ref.end);
      if (out.length > limits.maxLineLength) {
        return {
          text: out.slice(0, limits.maxLineLength),
          changed,
          following,
          stoppedAtGenerator: false,
          error: `Parameter substitution makes the line longer than ${limits.maxLineLength} characters.`,
        };
      }
      if (/^[ \t]*~/.test(replacement)) return { text: out, changed, following, stoppedAtGenerator: true };
      i = out.indexOf('$', i);
    }
    return { text: out, changed, following, stoppedAtGenerator: false };
  }

  /** References left in a finished line that look like parameters but were not substituted. */
  unexpanded(text: string): Array<{ name: string; multilineMidLine: boolean }> {
    const found: Array<{ name: string; multilineMidLine: boolean }> = [];
    for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i + 1)) {
      const ref = scanRef(text, i);
      if (!ref) continue;
      const user = this.defs.get(ref.name);
      if (user?.multiline && ref.params === null) found.push({ name: ref.name, multilineMidLine: true });
      else if (!this.has(ref.name)) found.push({ name: ref.name, multilineMidLine: false });
    }
    return found;
  }
}

/** Pre-defined names and how many `${NAME …}` arguments each takes (set_std_definitions()). */
const BUILTIN_PARAMS: ReadonlyMap<string, number> = new Map([
  ['_PWD', 0],
  ['_INSTANCE', 0],
  ['_RANDOM', 2],
  ['_HASH', 0],
  ['_BANG', 0],
]);
