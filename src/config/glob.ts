// Pure pieces of glob(3) as keepalived calls it for `include` (GLOB_MARK | GLOB_BRACE, escapes on, no
// GLOB_PERIOD): csh-style brace expansion, the wildcard test, fnmatch of one path component, and the
// directory walk over an injected listing (node-fs.ts gives it node:fs; tests give it a Map).
import { resolve } from './path.js';

/** Brace alternatives produced by one pattern at most; beyond it the pattern is reported as too large. */
export const MAX_BRACE_EXPANSIONS = 1024;

/** True when an unescaped '{' appears (keepalived's have_brace()). */
export function hasBrace(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === '{') return true;
  }
  return false;
}

/** True when the pattern needs a directory scan: unescaped '*' or '?', or a '[' that has a closing ']'. */
export function hasWildcard(pattern: string): boolean {
  let open = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?') return true;
    else if (c === '[') open = true;
    else if (c === ']' && open) return true;
  }
  return false;
}

/** The index of the '}' closing the '{' at `open`, or -1. */
function closingBrace(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '{') depth++;
    else if (p[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Expands `{a,b}` alternatives, nested, left to right as glibc does with GLOB_BRACE. An unmatched '{' is
 * literal (glibc drops GLOB_BRACE for an "illegal brace" pattern). Returns null past MAX_BRACE_EXPANSIONS.
 */
export function expandBraces(pattern: string): string[] | null {
  const out: string[] = [];
  const work = [pattern];
  while (work.length > 0) {
    const p = work.shift() as string;
    let open = -1;
    let close = -1;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === '\\') i++;
      else if (p[i] === '{') {
        const c = closingBrace(p, i);
        if (c >= 0) {
          open = i;
          close = c;
          break;
        }
      }
    }
    if (open < 0) {
      out.push(p);
      if (out.length > MAX_BRACE_EXPANSIONS) return null;
      continue;
    }
    const alternatives: string[] = [];
    let depth = 0;
    let start = open + 1;
    for (let i = open + 1; i < close; i++) {
      if (p[i] === '\\') i++;
      else if (p[i] === '{') depth++;
      else if (p[i] === '}') depth--;
      else if (p[i] === ',' && depth === 0) {
        alternatives.push(p.slice(start, i));
        start = i + 1;
      }
    }
    alternatives.push(p.slice(start, close));
    const expanded = alternatives.map((alt) => p.slice(0, open) + alt + p.slice(close + 1));
    work.unshift(...expanded);
    if (work.length + out.length > MAX_BRACE_EXPANSIONS) return null;
  }
  return out;
}

/** Removes the backslash from escaped characters (a literal component after matching). */
export function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Parses the bracket expression at p[i] === '['; returns the matcher and the index after ']', or null. */
function bracket(p: string, i: number): { test: (c: string) => boolean; next: number } | null {
  let j = i + 1;
  let negate = false;
  if (p[j] === '!' || p[j] === '^') {
    negate = true;
    j++;
  }
  const ranges: Array<[string, string]> = [];
  let first = true;
  while (j < p.length && (first || p[j] !== ']')) {
    first = false;
    let lo = p[j];
    if (lo === '\\' && j + 1 < p.length) lo = p[++j];
    j++;
    let hi = lo;
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      hi = p[j + 1] === '\\' && j + 2 < p.length ? p[j + 2] : p[j + 1];
      j += p[j + 1] === '\\' ? 3 : 2;
    }
    ranges.push([lo, hi]);
  }
  if (j >= p.length) return null;
  const test = (c: string): boolean => ranges.some(([lo, hi]) => c >= lo && c <= hi) !== negate;
  return { test, next: j + 1 };
}

/**
 * fnmatch(3) of one file name against one pattern component, with FNM_PERIOD semantics: a leading '.'
 * must be matched by a literal '.', so `*.conf` skips dot files as glob(3) does without GLOB_PERIOD.
 */
export function matchComponent(pattern: string, name: string): boolean {
  if (name.startsWith('.')) {
    const lead = pattern.startsWith('\\.') ? '.' : pattern[0];
    if (lead !== '.') return false;
  }
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '*') {
      starP = ++p;
      starN = n;
      continue;
    }
    if (p < pattern.length) {
      if (c === '?') {
        p++;
        n++;
        continue;
      }
      if (c === '[') {
        const b = bracket(pattern, p);
        if (b) {
          if (b.test(name[n])) {
            p = b.next;
            n++;
            continue;
          }
        } else if (name[n] === '[') {
          p++;
          n++;
          continue;
        }
      } else {
        const lit = c === '\\' && p + 1 < pattern.length ? pattern[p + 1] : c;
        if (lit === name[n]) {
          p += c === '\\' && p + 1 < pattern.length ? 2 : 1;
          n++;
          continue;
        }
      }
    }
    if (starP < 0) return false;
    p = starP;
    n = ++starN;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** What the walk needs from a file system. */
export interface DirectoryLister {
  /** Entry names of a directory; [] when it cannot be read. */
  list(dir: string): string[];
  /** true for a directory, false for anything else that exists, null when nothing is there. */
  kind(path: string): boolean | null;
}

const joinPath = (dir: string, name: string): string => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);

/**
 * glob(3) of one brace-free pattern with GLOB_MARK: absolute paths, each wildcard level sorted bytewise
 * (the C locale keepalived runs in), directories with a trailing '/', [] when nothing matches.
 */
export function globWalk(pattern: string, cwd: string, fs: DirectoryLister): string[] {
  const parts = resolve(cwd, pattern).split('/').filter((p) => p !== '');
  let paths = ['/'];
  parts.forEach((part, k) => {
    const next: string[] = [];
    for (const base of paths) {
      if (!hasWildcard(part)) {
        next.push(joinPath(base, unescape(part)));
        continue;
      }
      const names = fs.list(base).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const name of names) if (matchComponent(part, name)) next.push(joinPath(base, name));
    }
    // Only directories can hold the next component.
    paths = k === parts.length - 1 ? next : next.filter((p) => fs.kind(p) === true);
  });
  const out: string[] = [];
  for (const p of paths) {
    const dir = fs.kind(p);
    if (dir !== null) out.push(dir && p !== '/' ? `${p}/` : p);
  }
  return out;
}
