/**
 * Where lvsd's control socket is, for lvsd (which listens) and lvsadm (which connects): an explicit path
 * (--control), else $LVSD_SOCKET, else /run/lvsd/lvsd.sock for root, else a per-user path so an
 * unprivileged lvsd (proxy data plane) and its lvsadm meet without configuration: $XDG_RUNTIME_DIR (a 0700
 * directory of the user's, XDG Base Directory spec), else the directory /tmp/lvsd-UID, which lvsd creates
 * 0700 and socket-dir.ts refuses if another user made it first. Never a name directly in /tmp: anyone can
 * take /tmp/lvsd-UID.sock before us.
 */
import path from 'node:path';

export const SYSTEM_SOCKET = '/run/lvsd/lvsd.sock';

export interface SocketEnv {
  readonly LVSD_SOCKET?: string | undefined;
  readonly XDG_RUNTIME_DIR?: string | undefined;
}

export function currentUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : 0;
}

export function resolveSocketPath(explicit?: string, env: SocketEnv = process.env, uid: number = currentUid()): string {
  if (explicit) return explicit;
  if (env.LVSD_SOCKET) return env.LVSD_SOCKET;
  if (uid === 0) return SYSTEM_SOCKET;
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'lvsd.sock');
  return `/tmp/lvsd-${uid}/lvsd.sock`;
}
