/**
 * Who may reach lvsd's control socket, checked on the path before lvsd binds it and before lvsadm speaks
 * on it. The socket is the table's front door, so its directory must be one no other user can rearrange:
 * every directory from / down must belong to root or to us and be writable by no one else, except a sticky
 * directory owned by root (/tmp), where only a file's owner may remove or rename it (unlink(2), "EPERM ...
 * sticky bit"). The same rule as OpenSSH's secure_path() for authorized_keys.
 *
 * Links: the directory is resolved once (realpath) and every component of the resolved path is checked, and
 * the caller then uses the resolved path, so no link is followed after the check; the socket file itself is
 * only ever lstat()ed, bound (bind(2) never follows a link: an existing name fails with EADDRINUSE) or
 * unlinked (which removes the link, not its target). Nothing here chmods anything.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A check failed; the message is one sentence naming the path and what is wrong with it. */
export class SocketPathError extends Error {
  override readonly name = 'SocketPathError';
}

const STICKY = 0o1000;
const GROUP_OTHER_WRITE = 0o022;

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SocketPathError(`cannot inspect ${p}: ${(e as Error).message}`);
  }
}

function ownerName(uid: number): string {
  return uid === 0 ? 'root' : `uid ${uid}`;
}

/** One directory on the way to the socket: owned by root or `uid`, writable by no one else unless sticky root. */
function checkDirectory(dir: string, st: fs.Stats, uid: number): void {
  if (!st.isDirectory()) throw new SocketPathError(`${dir} is not a directory`);
  if (st.uid !== 0 && st.uid !== uid) {
    throw new SocketPathError(`${dir} belongs to ${ownerName(st.uid)}, not to root or ${ownerName(uid)}: another user could replace the control socket there (--control or XDG_RUNTIME_DIR picks another place)`);
  }
  if ((st.mode & GROUP_OTHER_WRITE) !== 0 && !((st.mode & STICKY) !== 0 && st.uid === 0)) {
    throw new SocketPathError(`${dir} is writable by other users (mode ${(st.mode & 0o7777).toString(8)}): the control socket needs a directory only its owner can change`);
  }
}

/**
 * Resolves `dir` and checks every component of the result; returns the resolved directory, which the
 * caller must use from then on.
 */
export function secureDirectory(dir: string, uid: number): string {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch (e) {
    throw new SocketPathError(`cannot resolve the control socket's directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  for (let p = real; ; p = path.dirname(p)) {
    const st = lstatOrNull(p);
    if (!st) throw new SocketPathError(`${p} vanished while it was checked`);
    checkDirectory(p, st, uid);
    if (p === path.dirname(p)) break;
  }
  return real;
}

/**
 * What is at the socket's name before lvsd binds there: nothing, or a socket of ours (perhaps left by a
 * crashed lvsd). Anything else — a link, a file, someone else's socket — is refused, never followed.
 */
export function socketSlot(sock: string, uid: number): 'free' | 'ours' {
  const st = lstatOrNull(sock);
  if (!st) return 'free';
  if (!st.isSocket()) throw new SocketPathError(`${sock} exists and is not a socket (${st.isSymbolicLink() ? 'a symbolic link' : 'a file'}); lvsd will not replace or follow it`);
  if (st.uid !== uid) throw new SocketPathError(`${sock} is a socket of ${ownerName(st.uid)}, not of ${ownerName(uid)}; lvsd will not replace it`);
  return 'ours';
}

/** After bind: the socket must be ours and closed to group and others (the umask made it so; nothing chmods). */
export function checkBoundSocket(sock: string, uid: number): void {
  const st = lstatOrNull(sock);
  if (!st || !st.isSocket() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new SocketPathError(`the control socket ${sock} was not created private to ${ownerName(uid)}`);
  }
}

/**
 * Before lvsadm speaks: the socket must belong to root or to the user running lvsadm, in a directory no one
 * else can rearrange, or whatever answers could forge listings and read the changes we send. Returns the
 * path to connect to (in the resolved directory). A missing socket is left for connect(2) to report.
 */
export function checkSocketToSpeak(sock: string, uid: number): string {
  if (!lstatOrNull(sock)) return sock;
  const real = path.join(secureDirectory(path.dirname(sock), uid), path.basename(sock));
  const st = lstatOrNull(real);
  if (!st) return real;
  if (!st.isSocket()) throw new SocketPathError(`${sock} is not a socket${st.isSymbolicLink() ? ' (a symbolic link)' : ''}`);
  if (st.uid !== 0 && st.uid !== uid) {
    throw new SocketPathError(`refusing to talk to ${sock}: it belongs to ${ownerName(st.uid)}, not to root or ${ownerName(uid)}, so it is not your lvsd`);
  }
  return real;
}
