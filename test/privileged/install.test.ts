// `npm pack` then `npm install -g` of the tarball into a scratch prefix, as an operator installs lvsd as a
// tool: the three commands land on PATH (prefix/bin), run, and the native addon was built during install.
// dist/ is built first (ensureBuilt), so pack runs without its prepack rebuild.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../../src/testing/daemon.js';
import { tempDir } from '../../src/testing/peers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

t.test('npm pack + npm install -g gives working lvsd, lvsadm and lvsd-genhash', { timeout: 300_000 }, async (t) => {
  ensureBuilt();
  const tmp = tempDir('install');
  t.teardown(tmp.remove);
  const run = (cmd: string, args: string[], cwd = tmp.dir) =>
    execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  run('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp.dir], root);
  const tgz = readdirSync(tmp.dir).find((f) => /^lvsd-.*\.tgz$/.test(f));
  if (!tgz) throw new Error('npm pack wrote no lvsd-*.tgz');
  const prefix = path.join(tmp.dir, 'scratch');
  run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--allow-scripts=lvsd,raw-socket', `./${tgz}`]);
  const bin = (name: string) => path.join(prefix, 'bin', name);
  t.match(run(bin('lvsd'), ['--version']), /^lvsd \d+\.\d+\.\d+\n$/);
  t.match(run(bin('lvsadm'), ['-h']), /^ipvsadm v1\.31 /, 'lvsadm speaks ipvsadm');
  let genhash = '';
  try {
    run(bin('lvsd-genhash'), []);
  } catch (e) {
    genhash = String((e as { stderr?: string }).stderr ?? '') + String((e as { stdout?: string }).stdout ?? '');
  }
  t.match(genhash, /Usage: genhash/, 'lvsd-genhash runs and prints its usage');
  const pkg = path.join(prefix, 'lib', 'node_modules', 'lvsd');
  const addon = path.join(pkg, 'native', 'build', 'Release', 'lvsd_native.node');
  t.ok(existsSync(addon), 'the addon was built during install');
  const loaded = createRequire(import.meta.url)(addon) as Record<string, unknown>;
  t.equal(typeof loaded.unixDgramSend, 'function', 'and it loads');
  t.notOk(existsSync(path.join(pkg, 'dist', 'src', 'testing')), 'test harnesses are not shipped');
});
