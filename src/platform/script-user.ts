/**
 * Which uid/gid a script runs as (keepalived core/notify.c set_uid_gid, get_default_script_user): the script's
 * own `user [group]`, else global_defs script_user, else the user keepalived_script when it exists, else the
 * daemon's own user — except that with enable_script_security a missing keepalived_script is an error, so
 * scripts never run as root by default.
 */
import { execFile } from 'node:child_process';
import type { ScriptSpec } from '../model/config.js';

export interface ScriptIdentity {
  readonly uid: number;
  readonly gid: number;
  /** How the user was chosen, for error messages. */
  readonly user: string;
}

export const DEFAULT_SCRIPT_USER = 'keepalived_script';

/** Lookups are kept this long: a MISC_CHECK every few seconds need not start getent each time. */
const CACHE_MS = 30_000;
const cache = new Map<string, { readonly at: number; readonly entry: Promise<string[] | null> }>();

/** One `getent DB KEY` line split on ':', or null when the name is unknown (NSS-aware, unlike /etc/passwd). */
function getent(db: 'passwd' | 'group', key: string): Promise<string[] | null> {
  const id = `${db}:${key}`;
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.entry;
  const entry = new Promise<string[] | null>((resolve) => {
    execFile('getent', [db, key], { timeout: 5_000 }, (err, stdout) => resolve(err ? null : (stdout.split('\n')[0] ?? '').split(':')));
  });
  cache.set(id, { at: Date.now(), entry });
  return entry;
}

async function lookup(user: string, group: string | null): Promise<ScriptIdentity | string> {
  const pw = await getent('passwd', user);
  if (!pw || pw.length < 4) return `user ${user} does not exist`;
  let gid = Number(pw[3]);
  if (group !== null) {
    const gr = await getent('group', group);
    if (!gr || gr.length < 3) return `group ${group} does not exist`;
    gid = Number(gr[2]);
  }
  return { uid: Number(pw[2]), gid, user };
}

/** Resolves the identity for a script, or returns the sentence saying why it cannot run. */
export async function scriptIdentity(
  script: ScriptSpec,
  global: { readonly user: string; readonly group: string | null } | null,
  scriptSecurity: boolean,
): Promise<ScriptIdentity | string> {
  if (script.user !== null) return lookup(script.user, script.group);
  if (global) return lookup(global.user, global.group);
  const dflt = await lookup(DEFAULT_SCRIPT_USER, null);
  if (typeof dflt !== 'string') return dflt;
  if (scriptSecurity) return `no script_user is set and the default user ${DEFAULT_SCRIPT_USER} does not exist (enable_script_security will not run scripts as root by default)`;
  return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, user: 'the daemon user' };
}
