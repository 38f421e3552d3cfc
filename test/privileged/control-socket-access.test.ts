// Issue 11, "a control socket no one else can reach": each attack replayed with a real second (and third)
// user made by the test with useradd and removed after; the attackers run as those users through setpriv.
import t from 'tap';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureBuilt, LVSADM, LVSD, lvsadm } from '../../src/testing/daemon.js';
import { createTempUser, type TempUser } from '../../src/testing/temp-user.js';

const skip = process.getuid?.() !== 0 ? 'needs root to create users and switch to them' : false;
const node = process.execPath;

/** Connects as `user`, asks lvsd to add a service, prints what happened: "EACCES", "ENOENT", or the reply. */
const ATTACK = `
const c = require('node:net').connect(process.argv[1]);
c.on('error', (e) => { console.log(e.code); process.exit(0); });
c.on('connect', () => c.write(JSON.stringify({ v: 1, id: 1, method: 'apply', ops: [{ op: 'flush' }] }) + '\\n'));
c.on('data', (d) => { console.log('answered ' + d.toString().trim()); process.exit(0); });
setTimeout(() => { console.log('silent'); process.exit(0); }, 3000);
`;

/** A listener that forges whatever lvsd would say and reports every connection it gets. */
const SQUAT = `
require('node:fs').rmSync(process.argv[1], { force: true });
require('node:net').createServer((c) => { console.log('victim connected'); c.on('data', () => c.write('{"id":1,"ok":true}\\n')); })
  .listen(process.argv[1], () => { require('node:fs').chmodSync(process.argv[1], 0o777); console.log('listening'); });
`;

interface Started { readonly code: Promise<number | null>; readonly out: () => string; kill(): void }

function startLvsd(argv: string[], as?: TempUser, env?: NodeJS.ProcessEnv): Started {
  const cmd = [node, LVSD, '--dataplane', 'proxy', ...argv];
  const p = as ? as.spawn(cmd, env) : spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  p.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  p.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  return { code: new Promise((resolve) => p.on('exit', (c) => resolve(c))), out: () => out, kill: () => { p.kill('SIGTERM'); } };
}

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (ok()) return;
  throw new Error(`timed out waiting for ${what}`);
}

const exists = (p: string): boolean => { try { lstatSync(p); return true; } catch { return false; } };

t.test('control socket reach', { skip }, async (t) => {
  ensureBuilt();
  const mallory = createTempUser('m');
  const alice = createTempUser('a');
  const dir = mkdtempSync('/tmp/lvsd-reach-');
  chmodSync(dir, 0o755);
  t.teardown(async () => {
    await mallory.remove();
    await alice.remove();
    rmSync(dir, { recursive: true, force: true });
    rmSync(`/tmp/lvsd-${alice.uid}`, { recursive: true, force: true });
    rmSync(`/tmp/lvsd-${alice.uid}.sock`, { force: true });
  });

  t.test('started with umask 000, the socket is 0600 from birth and another user cannot connect', async (t) => {
    const sock = path.join(dir, 'umask.sock');
    const d = spawn('sh', ['-c', `umask 000; exec "${node}" "${LVSD}" --dataplane proxy --control "${sock}"`], { stdio: 'ignore' });
    t.teardown(() => { d.kill('SIGTERM'); });
    await until('the socket', () => exists(sock));
    t.equal(lstatSync(sock).mode & 0o777, 0o600, 'mode 0600');
    t.equal((await mallory.run([node, '-e', ATTACK, sock])).out.trim(), 'EACCES', 'the other user is refused by the kernel');
    t.equal((await lvsadm(sock, ['-A', '-t', '127.0.0.10:80'])).code, 0, 'root still reaches it');
  });

  t.test('a socket directory another user can write is refused; nothing is chmodded through a link', async (t) => {
    const open = path.join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const d = startLvsd(['--control', path.join(open, 'lvsd.sock')]);
    t.equal(await d.code, 1, 'lvsd does not start');
    t.match(d.out(), /open is writable by other users \(mode 777\)/);

    // In a sticky root-owned directory (like /tmp) the other user plants a link where the socket goes.
    const sticky = path.join(dir, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    const victim = path.join(dir, 'root-file');
    writeFileSync(victim, 'x');
    chmodSync(victim, 0o644);
    const link = path.join(sticky, 'lvsd.sock');
    t.equal((await mallory.run(['ln', '-s', victim, link])).code, 0);
    const e = startLvsd(['--control', link]);
    t.equal(await e.code, 1, 'lvsd does not start');
    t.match(e.out(), /exists and is not a socket \(a symbolic link\); lvsd will not replace or follow it/);
    t.equal(statSync(victim).mode & 0o7777, 0o644, 'the link target keeps its mode');
    t.ok(lstatSync(link).isSymbolicLink(), 'the planted link is left alone');
  });

  t.test('squatting the old default /tmp/lvsd-UID.sock: lvsd starts in its private directory', async (t) => {
    const squat = mallory.spawn([node, '-e', SQUAT, `/tmp/lvsd-${alice.uid}.sock`]);
    let heard = '';
    squat.stdout?.on('data', (d: Buffer) => { heard += d.toString(); });
    await until('the squatter', () => heard.includes('listening'));
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
    const d = startLvsd([], alice, env);
    t.teardown(d.kill);
    const sock = `/tmp/lvsd-${alice.uid}/lvsd.sock`;
    await until('alice\'s lvsd', () => exists(sock) || d.out().includes('cannot'));
    const st = lstatSync(path.dirname(sock));
    t.equal(st.uid, alice.uid, 'the directory is alice\'s');
    t.equal(st.mode & 0o777, 0o700, 'and private');
    const ls = await alice.run([node, LVSADM, '-Ln'], env);
    t.equal(ls.code, 0, `alice's lvsadm reaches her lvsd: ${ls.err}`);
    t.notMatch(heard, /victim connected/, 'nothing talked to the squatter');
  });

  t.test('a squatted private directory: lvsd refuses it and lvsadm will not speak to the squatter', async (t) => {
    const squatDir = `/tmp/lvsd-${alice.uid}`;
    rmSync(squatDir, { recursive: true, force: true });
    mkdirSync(squatDir, { mode: 0o755 });
    chownSync(squatDir, mallory.uid, mallory.gid);
    const squat = mallory.spawn([node, '-e', SQUAT, `${squatDir}/lvsd.sock`]);
    let heard = '';
    squat.stdout?.on('data', (d: Buffer) => { heard += d.toString(); });
    await until('the squatter', () => heard.includes('listening'));
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
    const ls = await alice.run([node, LVSADM, '-Ln'], env);
    t.not(ls.code, 0, 'lvsadm fails');
    t.match(ls.err, new RegExp(`${squatDir} belongs to uid ${mallory.uid}, not to root or uid ${alice.uid}`));
    const d = startLvsd([], alice, env);
    t.equal(await d.code, 1, 'lvsd does not start there');
    t.match(d.out(), new RegExp(`belongs to uid ${mallory.uid}`));

    // The same owner check on a socket in a directory both may use (sticky /tmp-like).
    const shared = path.join(dir, 'shared');
    mkdirSync(shared, { mode: 0o1777 });
    chmodSync(shared, 0o1777);
    const forged = path.join(shared, 'lvsd.sock');
    const squat2 = mallory.spawn([node, '-e', SQUAT, forged]);
    let heard2 = '';
    squat2.stdout?.on('data', (d: Buffer) => { heard2 += d.toString(); });
    await until('the second squatter', () => heard2.includes('listening'));
    const ls2 = await alice.run([node, LVSADM, '--control', forged, '-A', '-t', '127.0.0.10:80'], env);
    t.not(ls2.code, 0);
    t.match(ls2.err, new RegExp(`refusing to talk to ${forged}: it belongs to uid ${mallory.uid}, not to root or uid ${alice.uid}`));
    t.notMatch(heard + heard2, /victim connected/, 'nothing was sent to a squatter');
  });
});
