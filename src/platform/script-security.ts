/**
 * enable_script_security (keepalived core/notify.c check_script_secure, check_security, is_executable): a script
 * that runs with root's rights must not be changeable by anyone but root — neither the file nor any directory on
 * its path.
 */
import { constants } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { ScriptIdentity } from './script-user.js';

/** sys/stat.h mode bits node's fs.constants does not export. */
const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** is_executable: the permission bits that apply to this uid/gid (root: any execute bit). */
function executableBy(mode: number, owner: number, group: number, who: ScriptIdentity): boolean {
  if (who.uid === 0) return (mode & 0o111) !== 0;
  if (owner === who.uid) return (mode & constants.S_IXUSR) !== 0;
  if (group === who.gid) return (mode & constants.S_IXGRP) !== 0;
  return (mode & constants.S_IXOTH) !== 0;
}

/** find_path: a bare name is looked up in PATH as execvp would. */
async function findInPath(name: string): Promise<string | null> {
  for (const dir of (process.env['PATH'] || DEFAULT_PATH).split(delimiter)) {
    const p = join(dir || '.', name);
    const st = await stat(p).catch(() => null);
    if (st?.isFile()) return p;
  }
  return null;
}

/**
 * check_security: every component from / to the file must be owned by root, and not group-writable by a non-root
 * group nor world-writable (a directory with the sticky bit excepted). Intermediate symlinks owned by root are
 * followed through the resolved path, which is checked too (keepalived walks args[0] and the real path).
 */
async function insecureComponent(path: string): Promise<string | null> {
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const p = `/${parts.slice(0, i).join('/')}`;
    const st = await lstat(p);
    const isLast = i === parts.length;
    if (!isLast && !st.isDirectory() && !st.isSymbolicLink()) return `${p} is not a directory`;
    const writable = (st.gid !== 0 && (st.mode & constants.S_IWGRP) !== 0) || (st.mode & constants.S_IWOTH) !== 0;
    const guarded = st.isDirectory() && (st.mode & S_ISVTX) !== 0;
    if (st.uid !== 0) return `${p} is owned by uid ${st.uid}, not root`;
    if (writable && !guarded && !st.isSymbolicLink()) return `${p} is writable by ${st.mode & constants.S_IWOTH ? 'everyone' : `group ${st.gid}`}`;
  }
  return null;
}

/** The path to execute, or the sentence saying why the script must not run. */
export async function vetScript(argv0: string, who: ScriptIdentity, scriptSecurity: boolean): Promise<{ path: string } | { error: string }> {
  const found = argv0.includes('/') ? argv0 : await findInPath(argv0);
  if (!found) return { error: `script ${argv0} was not found in PATH` };
  const real = await realpath(found).catch((e: NodeJS.ErrnoException) => e);
  if (real instanceof Error) return { error: `script ${argv0} cannot be accessed: ${real.code ?? real.message}` };
  const st = await stat(real);
  if (!st.isFile()) return { error: `script ${argv0} is not a regular file` };
  if (!executableBy(st.mode, st.uid, st.gid, who)) return { error: `script ${argv0} is not executable by uid ${who.uid} gid ${who.gid}` };
  const setidRoot = (st.uid === 0 && (st.mode & S_ISUID) !== 0) || (st.gid === 0 && (st.mode & S_ISGID) !== 0);
  if (scriptSecurity && (who.uid === 0 || who.gid === 0 || setidRoot)) {
    for (const p of new Set([found, real])) {
      const why = await insecureComponent(p).catch((e: NodeJS.ErrnoException) => `${p}: ${e.code ?? e.message}`);
      if (why) return { error: `enable_script_security refuses ${argv0}: ${why}` };
    }
  }
  return { path: found };
}
