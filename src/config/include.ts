// keepalived.conf(5) "include FILENAME" and its variants, with include_check (global_defs) and -e. A file
// name is a glob(3) pattern with csh braces, relative to the including file's directory. Which failures
// are errors depends on the check flags (lib/parser.c include_t, open_and_check_glob(), check_include()).
import { resolve } from './path.js';
import { expandBraces, hasBrace, hasWildcard } from './glob.js';

/** include_t of lib/parser.c. */
export const INCLUDE_R = 0x01; // error if a match is a directory or cannot be read
export const INCLUDE_M = 0x02; // error if a named file is missing (no wildcard)
export const INCLUDE_W = 0x04; // error if a wildcard matches nothing
export const INCLUDE_B = 0x08; // error if any brace alternative names a missing file
export const INCLUDE_ALL = INCLUDE_R | INCLUDE_M | INCLUDE_W | INCLUDE_B;

/** The checks each keyword adds (check_include()). */
const VARIANTS: Readonly<Record<string, number>> = {
  include: 0,
  includer: INCLUDE_R,
  includem: INCLUDE_R | INCLUDE_M,
  includew: INCLUDE_R | INCLUDE_M | INCLUDE_W,
  includeb: INCLUDE_R | INCLUDE_B,
  includea: INCLUDE_ALL,
};

export interface IncludeLine {
  readonly keyword: string;
  readonly flags: number;
  /** Everything after the keyword and its blanks, verbatim: keepalived neither unquotes nor splits it. */
  readonly pattern: string;
}

/** An include statement, recognised as is_include() does: the keyword, then white space or the end. */
export function parseInclude(text: string): IncludeLine | null {
  const m = /^(include[rmwba]?)(?:[ \t\f\v]+(.*))?$/.exec(text);
  if (!m) return null;
  return { keyword: m[1], flags: VARIANTS[m[1]], pattern: m[2] ?? '' };
}

const CHECK_NAMES: Readonly<Record<string, number>> = {
  read: INCLUDE_R, // the name the 2.2.7 code accepts
  readable: INCLUDE_R, // the name the man page uses
  match: INCLUDE_M,
  wildcard_match: INCLUDE_W,
  brace_match: INCLUDE_B,
};

/**
 * `include_check [OPTIONS]` as include_check_set(): no option means all; a bare name replaces the set
 * (only as the first option) and always includes `read`; `+name` adds, `-name` removes.
 */
export function applyIncludeCheck(current: number, args: readonly string[]): { flags: number; problems: string[] } {
  if (args.length === 0) return { flags: INCLUDE_ALL, problems: [] };
  let flags = current;
  const problems: string[] = [];
  args.forEach((word, i) => {
    const op = word[0] === '+' || word[0] === '-' ? word[0] : '';
    const name = op === '' ? word : word.slice(1);
    if (op === '' && i > 0) {
      problems.push(`include_check option '${word}' must come first or be written +${word} / -${word}; it is ignored.`);
      return;
    }
    const flag = CHECK_NAMES[name];
    if (flag === undefined) {
      problems.push(`Unknown include_check option '${name}' (expected readable, match, wildcard_match or brace_match); it is ignored.`);
      return;
    }
    if (op === '') flags = INCLUDE_R | flag;
    else if (op === '+') flags |= flag;
    else flags &= ~flag;
  });
  return { flags, problems };
}

export interface IncludeProblem {
  /** The check that makes this an error; without it the problem is a warning (or, for W, nothing). */
  readonly flag: number;
  readonly message: string;
}

export interface ResolvedInclude {
  /** Files to read, in order: each brace alternative's matches sorted, alternatives left to right. */
  readonly files: string[];
  readonly problems: IncludeProblem[];
}

/** The literal directory above the first wildcard component, or null if the pattern has no wildcard. */
function literalParent(pattern: string): string | null {
  const parts = pattern.split('/');
  const k = parts.findIndex((p) => hasWildcard(p));
  if (k < 0) return null;
  const prefix = parts.slice(0, k).join('/');
  return prefix === '' ? (pattern.startsWith('/') ? '/' : '.') : prefix;
}

/** Matches an include pattern and classifies what is missing, as open_and_check_glob() does. */
export function resolveInclude(
  pattern: string,
  dir: string,
  glob: (pattern: string, cwd: string) => string[],
): ResolvedInclude {
  const braced = hasBrace(pattern);
  const alternatives = braced ? expandBraces(pattern) : [pattern];
  if (alternatives === null) {
    return { files: [], problems: [{ flag: INCLUDE_R, message: `Include '${pattern}' expands to too many brace alternatives.` }] };
  }
  const missingFlag = braced ? INCLUDE_B : INCLUDE_M;
  const files: string[] = [];
  const missing: string[] = [];
  const problems: IncludeProblem[] = [];
  let wildcard = false;
  const safeGlob = (p: string): string[] => {
    try {
      return glob(p, dir);
    } catch (e) {
      problems.push({ flag: INCLUDE_R, message: `Include '${p}' could not be searched: ${e instanceof Error ? e.message : String(e)}.` });
      return [];
    }
  };
  for (const alt of alternatives) {
    const wild = hasWildcard(alt);
    wildcard ||= wild;
    const matches = safeGlob(alt);
    if (matches.length === 0) {
      // glob(3) with GLOB_ALTDIRFUNC counts a missing file or a missing directory above a wildcard as
      // "missing" (match/brace_match); an existing directory with no match is only a wildcard miss.
      const parent = literalParent(alt);
      if (!wild || (parent !== null && safeGlob(parent).length === 0)) missing.push(alt);
      continue;
    }
    for (const m of matches) {
      if (!m.endsWith('/')) files.push(m);
      else if (!wild) problems.push({ flag: INCLUDE_R, message: `Included '${m.slice(0, -1)}' is a directory, not a file; it is skipped.` });
    }
  }
  if (files.length === 0 && missing.length === 0 && wildcard && problems.length === 0) {
    problems.push({ flag: INCLUDE_W, message: `No file matches include '${pattern}'.` });
  } else if (missing.length > 0) {
    const names = missing.map((m) => `'${resolve(dir, m)}'`).join(', ');
    const message =
      alternatives.length > 1
        ? `Include '${pattern}' names files that do not exist: ${names}.`
        : wildcard
          ? `Nothing can match include ${names}: its directory does not exist.`
          : `Included file ${names} does not exist.`;
    problems.push({ flag: missingFlag, message });
  }
  return { files, problems };
}
