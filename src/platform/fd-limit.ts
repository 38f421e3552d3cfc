import { readFileSync } from 'node:fs';

/** RLIMIT_NOFILE as this process runs under it. */
export interface FdLimit {
  readonly soft: number;
  readonly hard: number;
}

/**
 * Reads RLIMIT_NOFILE from /proc/self/limits. Node has no getrlimit/setrlimit, and needs none here: Node
 * itself raises the soft limit to the hard one as it starts (PlatformInit in src/node.cc), so the soft limit
 * read here is already the most lvsd may open. Undefined when the file is missing or unreadable (not Linux,
 * /proc not mounted); the caller then runs without a descriptor budget and says so.
 */
export function readFdLimit(file = '/proc/self/limits'): FdLimit | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseFdLimit(text);
}

/** The "Max open files" row of a /proc/PID/limits text (fs/proc/base.c proc_pid_limits). */
export function parseFdLimit(text: string): FdLimit | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)\s/m.exec(text);
  if (!m) return undefined;
  const n = (s: string) => (s === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(s));
  return { soft: n(m[1]!), hard: n(m[2]!) };
}
