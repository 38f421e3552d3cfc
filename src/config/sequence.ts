// keepalived.conf(5) "Sequence blocks" and "List blocks": a line starting `~SEQ(var, start, step, end)`,
// `~SEQx(…)` (values in hex) or `~LST(var, v1, v2, …)` / `~LST({a, b}, {1, 2}, …)` is read once per value
// with $var set, the rest of the line being the text. Parsing follows add_seq()/add_lst() of 2.2.7.

/** One parsed generator: `count` iterations, each binding some parameters, then reading `text`. */
export interface Generator {
  readonly count: number;
  bindings(k: number): ReadonlyArray<readonly [string, string]>;
  /** The rest of the line after ')', read once per iteration (it may hold further generators). */
  readonly text: string;
}

export type GeneratorParse = { readonly generator: Generator } | { readonly error: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** strtol(s, &end, 0): blanks, sign, 0x/0 prefixes; no digits gives 0 with nothing consumed. */
function strtol(s: string, i: number): { value: number; next: number } {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s.slice(i));
  if (!m) return { value: 0, next: i };
  const body = m[2];
  const magnitude = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.startsWith('0') ? parseInt(body, 8) : Number(body);
  return { value: m[1] === '-' ? -magnitude : magnitude, next: i + m[0].length };
}

const skipBlanks = (s: string, i: number): number => {
  while (s[i] === ' ' || s[i] === '\t') i++;
  return i;
};

/**
 * `~SEQ` / `~SEQx`. `expandArgs` substitutes parameters in the numbers (keepalived runs replace_param() on
 * them) and returns null when that is not possible. Omitted step is ±1 toward end; omitted start is 1,
 * or -1 when end < 0 (the man page; the code's one-argument form also uses step -1 when end < 1).
 */
export function parseSeq(line: string, expandArgs: (s: string) => string | null): GeneratorParse {
  const bad = { error: `Invalid ~SEQ '${line}': expected ~SEQ(var, start, step, end), ~SEQ(var, start, end) or ~SEQ(var, end).` };
  let i = 4;
  const hex = line[i] === 'x';
  if (hex) i++;
  i = skipBlanks(line, i);
  if (line[i++] !== '(') return bad;
  i = skipBlanks(line, i);
  const varStart = i;
  while (i < line.length && !' \t,)'.includes(line[i])) i++;
  const name = line.slice(varStart, i);
  i = skipBlanks(line, i);
  if (name === '' || line[i] !== ',') return bad;
  if (!NAME.test(name)) return { error: `~SEQ variable '${name}' is not a parameter name (letters, digits and _, not starting with a digit).` };
  const close = line.indexOf(')', i);
  if (close < 0) return { error: `~SEQ '${line}' has no closing ')'.` };
  const args = expandArgs(line.slice(i + 1, close + 1));
  if (args === null) return { error: `~SEQ '${line}': its numbers could not be expanded.` };
  const nums: number[] = [];
  let p = 0;
  for (;;) {
    const n = strtol(args, p);
    nums.push(n.value);
    p = skipBlanks(args, n.next);
    if (args[p] === ')') break;
    if (args[p] !== ',' || nums.length === 3) return bad;
    p++;
  }
  if (nums.some((n) => !Number.isSafeInteger(n))) return { error: `~SEQ '${line}' has a number out of range.` };
  let start: number;
  let step: number;
  let end: number;
  if (nums.length === 1) {
    end = nums[0];
    step = end < 1 ? -1 : 1;
    start = end < 0 ? -1 : 1;
  } else if (nums.length === 2) {
    [start, end] = nums;
    step = start <= end ? 1 : -1;
  } else {
    [start, step, end] = nums;
    if (step === 0 || (start < end && step < 0) || (start > end && step > 0)) {
      return { error: `~SEQ '${line}': step ${step} never gets from ${start} to ${end}.` };
    }
  }
  if (hex && (start < 0 || end < 0)) return { error: `~SEQx '${line}' is only valid for numbers ≥ 0.` };
  const count = Math.floor((end - start) / step) + 1;
  const text = line.slice(skipBlanks(line, close + 1));
  const format = (v: number): string => (hex ? v.toString(16) : String(v));
  return { generator: { count, text, bindings: (k) => [[name, format(start + k * step)]] } };
}

/** Reads names or values separated by ',' up to `end` (']' of a set, or ',' / ')' for a bare one). */
function readList(s: string, i: number, braced: boolean): { items: string[]; next: number } | null {
  const items: string[] = [];
  for (;;) {
    const from = i;
    while (i < s.length && !' \t,})'.includes(s[i])) i++;
    items.push(s.slice(from, i));
    i = skipBlanks(s, i);
    if (!braced) return { items, next: i };
    if (s[i] === '}') return { items, next: skipBlanks(s, i + 1) };
    if (s[i] !== ',') return null;
    i = skipBlanks(s, i + 1);
  }
}

/** `~LST(var, v1, v2, …)` or `~LST({a, b}, {1, 2}, …)`; missing values in a set are empty. */
export function parseLst(line: string): GeneratorParse {
  const bad = { error: `Invalid ~LST '${line}': expected ~LST(var, v1, v2, …) or ~LST({var1, var2}, {v1, v2}, …).` };
  let i = skipBlanks(line, 4);
  if (line[i++] !== '(') return bad;
  i = skipBlanks(line, i);
  const namesBraced = line[i] === '{';
  const names = readList(line, namesBraced ? skipBlanks(line, i + 1) : i, namesBraced);
  if (!names || line[names.next] !== ',') return bad;
  const badName = names.items.find((n) => !NAME.test(n));
  if (badName !== undefined) return { error: `~LST variable '${badName}' is not a parameter name (letters, digits and _, not starting with a digit).` };
  i = skipBlanks(line, names.next + 1);
  const sets: string[][] = [];
  for (;;) {
    const braced = line[i] === '{';
    const set = readList(line, braced ? skipBlanks(line, i + 1) : i, braced);
    if (!set) return bad;
    if (set.items.length > names.items.length) return { error: `~LST '${line}' has a set with more values than variables.` };
    while (set.items.length < names.items.length) set.items.push('');
    sets.push(set.items);
    i = set.next;
    if (line[i] === ')') break;
    if (line[i] !== ',') return bad;
    i = skipBlanks(line, i + 1);
  }
  const text = line.slice(skipBlanks(line, i + 1));
  const bind = (k: number): Array<readonly [string, string]> => names.items.map((n, j) => [n, sets[k][j]] as const);
  return { generator: { count: sets.length, text, bindings: bind } };
}
