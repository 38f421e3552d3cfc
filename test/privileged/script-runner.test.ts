// The script runner as root: script_user is honoured (uid and gid switched), and enable_script_security refuses
// scripts that anyone but root could change. A throwaway user is created with useradd and always removed.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessScriptRunner } from '../../src/platform/script-runner.js';
import type { ScriptSpec } from '../../src/model/config.js';

const root = process.getuid?.() === 0;
const useradd = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v useradd && command -v userdel'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = !root ? 'needs root to switch users' : !useradd ? 'needs useradd/userdel (Debian package passwd)' : false;

t.test('script_user and enable_script_security', { skip }, async (t) => {
  const user = `lvsdt${process.pid % 100000}`;
  execFileSync('useradd', ['--no-create-home', '--shell', '/usr/sbin/nologin', user]);
  const dir = mkdtempSync('/tmp/lvsd-secure-');
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true });
    execFileSync('userdel', [user]);
  });
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  chmodSync(dir, 0o755);
  const write = (p: string, body: string, mode = 0o755): ScriptSpec => {
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, mode);
    return { argv: [p], user: null, group: null };
  };
  const ids = write(join(dir, 'ids.sh'), 'echo "$(id -u) $(id -g)"');

  t.test('the script runs as its user', async (t) => {
    const r = await new ProcessScriptRunner().run({ ...ids, user }, [], 5_000);
    t.equal(r.output, `${uid} ${gid}\n`);
    const global = await new ProcessScriptRunner({ scriptUser: { user, group: null } }).run(ids, [], 5_000);
    t.equal(global.output, `${uid} ${gid}\n`, 'global script_user applies when the script names none');
    const unknown = await new ProcessScriptRunner().run({ ...ids, user: 'lvsd-no-such-user' }, [], 5_000);
    t.match(unknown, { exitCode: null, error: /user lvsd-no-such-user does not exist/ });
  });

  t.test('enable_script_security', async (t) => {
    const secure = new ProcessScriptRunner({ enableScriptSecurity: true, scriptUser: { user: 'root', group: null } });
    t.match(await secure.run(ids, [], 5_000), { exitCode: 0, output: '0 0\n', error: null }, 'a root-owned script in root-owned directories runs');

    const theirs = write(join(dir, 'theirs.sh'), 'echo ran');
    chownSync(join(dir, 'theirs.sh'), uid, gid);
    const r1 = await secure.run(theirs, [], 5_000);
    t.match(r1, { exitCode: null, output: '', error: new RegExp(`refuses .*theirs\\.sh: .*theirs\\.sh is owned by uid ${uid}, not root`) });

    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777); // world-writable, no sticky bit: anyone could swap the script
    const inOpen = write(join(open, 'x.sh'), 'echo ran');
    t.match(await secure.run(inOpen, [], 5_000), { error: /open is writable by everyone/ });
    chmodSync(open, 0o1777);
    t.match(await secure.run(inOpen, [], 5_000), { exitCode: 0, output: 'ran\n' }, 'the sticky bit makes the directory safe, as keepalived has it');

    const groupWritable = write(join(dir, 'gw.sh'), 'echo ran', 0o775);
    chownSync(join(dir, 'gw.sh'), 0, gid);
    t.match(await secure.run(groupWritable, [], 5_000), { error: new RegExp(`gw\\.sh is writable by group ${gid}`) });

    t.match(await new ProcessScriptRunner().run(theirs, [], 5_000), { exitCode: 0, output: 'ran\n' }, 'without enable_script_security it runs');
    t.match(await secure.run({ ...theirs, user }, [], 5_000), { exitCode: 0 }, 'run as the unprivileged user it needs no protection');
  });
});
