import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** A throwaway local user made with useradd (needs root); `remove()` deletes it again. */
export interface TempUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /** Runs argv as this user (setpriv: real and effective ids switched, supplementary groups cleared). */
  spawn(argv: readonly string[], env?: NodeJS.ProcessEnv): ChildProcess;
  /** Runs argv as this user to the end; resolves with its exit code and output. */
  run(argv: readonly string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }>;
  /** Kills what it still runs (by pid), waits for those to exit, then deletes the user. */
  remove(): Promise<void>;
}

export function createTempUser(tag: string): TempUser {
  const name = `lvsd${tag}${randomBytes(3).toString('hex')}`;
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  const children = new Set<ChildProcess>();
  const spawnAs = (argv: readonly string[], env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }): ChildProcess => {
    // setpriv and env exec the program in place, so the child's pid is the program's own. NODE_OPTIONS goes:
    // a test runner's hooks in it would write files this user may not.
    const c = spawn('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', 'env', '-u', 'NODE_OPTIONS', ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(c);
    c.on('exit', () => children.delete(c));
    return c;
  };
  return {
    name,
    uid,
    gid,
    spawn: spawnAs,
    run: (argv, env) => new Promise((resolve) => {
      const c = spawnAs(argv, env);
      let out = '';
      let err = '';
      c.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
      c.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
      c.on('close', (code) => resolve({ code: code ?? -1, out, err }));
    }),
    remove: async () => {
      await Promise.all([...children].map((c) => new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      })));
      execFileSync('userdel', [name]);
    },
  };
}
