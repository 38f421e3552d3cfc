import t from 'tap';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { LVSADM, ensureBuilt } from '../../../src/testing/daemon.js';

// Without a daemon socket lvsadm goes to kernel IPVS itself, like ipvsadm; on a kernel without IPVS it
// says so in ipvsadm's words and exits 2. (The kernel tier covers a kernel that has IPVS.)
const skip = existsSync('/proc/net/ip_vs') ? 'this kernel has IPVS; the kernel tier covers lvsadm against it' : false;

t.test('no daemon and no IPVS: ipvsadm\'s message, exit 2', { skip }, async (t) => {
  ensureBuilt();
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: path.join(os.tmpdir(), `lvsadm-none-${process.pid}`) };
  delete env['LVSD_SOCKET'];
  for (const args of [['--kernel', '-Ln'], ['-Ln']]) {
    if (args[0] !== '--kernel' && process.getuid?.() === 0 && existsSync('/run/lvsd/lvsd.sock')) continue; // a system lvsd answers instead
    const r = spawnSync(process.execPath, [LVSADM, ...args], { encoding: 'utf8', env });
    t.equal(r.status, 2, `lvsadm ${args.join(' ')}`);
    t.match(r.stderr, /Can't initialize ipvs: .*\nAre you sure that IP Virtual Server is built in the kernel or as module\?/);
  }
  const help = spawnSync(process.execPath, [LVSADM, '--kernel', '-h'], { encoding: 'utf8' });
  t.equal(help.status, 0, '-h needs no kernel');
});
