import t from 'tap';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandBraces, hasBrace, hasWildcard, matchComponent } from '../../../src/config/glob.js';
import { dirname, normalize, resolve } from '../../../src/config/path.js';
import { nodeConfigFs } from '../../../src/platform/node-fs.js';
import { memFs } from './fixtures/memfs.js';

t.test('matchComponent is fnmatch with FNM_PERIOD', async (t) => {
  const cases: Array<[string, string, boolean, string?]> = [
    ['*.conf', 'a.conf', true],
    ['*.conf', 'a.conf.bak', false],
    ['*.conf', '.hidden.conf', false, 'a leading dot needs a literal dot'],
    ['.*.conf', '.hidden.conf', true],
    ['?.c*f', 'x.conf', true],
    ['vs[0-9][!a-z].conf', 'vs1X.conf', true],
    ['vs[0-9][!a-z].conf', 'vs1x.conf', false],
    ['[]a]', ']', true, "']' first in a set is literal"],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['a[b', 'a[b', true, "a '[' without ']' is literal"],
    ['*a*b*', 'xxaxxbxx', true],
    ['*a*b', 'xxaxxbxx', false],
    ['*', 'anything', true],
  ];
  for (const [pattern, name, want, why] of cases) t.equal(matchComponent(pattern, name), want, why ?? `${pattern} ~ ${name}`);
});

t.test('wildcards and braces', async (t) => {
  const wild: Array<[string, boolean]> = [['conf.d/*.conf', true], ['a[bc]', true], ['a[bc', false], ['a\\*', false]];
  for (const [pattern, want] of wild) t.equal(hasWildcard(pattern), want, pattern);
  t.ok(hasBrace('x{a,b}'));
  t.notOk(hasBrace('x\\{a'));
  t.same(expandBraces('{foo/{,cat,dog},bar}'), ['foo/', 'foo/cat', 'foo/dog', 'bar'], 'the man page example');
  t.same(expandBraces('a{b,c}d{1,2}'), ['abd1', 'abd2', 'acd1', 'acd2']);
  t.same(expandBraces('a{b}c'), ['abc']);
  t.same(expandBraces('a{b,c'), ['a{b,c'], 'an unmatched brace is literal');
  t.equal(expandBraces('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}'), null, 'bounded');
});

t.test('path arithmetic', async (t) => {
  t.equal(normalize('/a//b/./c/../d/'), '/a/b/d');
  t.equal(normalize('/../x'), '/x');
  t.equal(normalize('a/../../b'), '../b');
  t.equal(resolve('/etc/keepalived', 'conf.d/x.conf'), '/etc/keepalived/conf.d/x.conf');
  t.equal(resolve('/etc/keepalived', '/abs'), '/abs');
  t.equal(dirname('/etc/keepalived/keepalived.conf'), '/etc/keepalived');
  t.equal(dirname('/x'), '/');
  t.equal(dirname('x'), '.');
});

t.test('globWalk over an in-memory tree', async (t) => {
  const fs = memFs({ '/e/a.conf': '', '/e/b.conf': '', '/e/d/c.conf': '', '/e/.h.conf': '', '/f/a.conf': '' });
  t.same(fs.glob('*.conf', '/e'), ['/e/a.conf', '/e/b.conf']);
  t.same(fs.glob('/*/a.conf', '/'), ['/e/a.conf', '/f/a.conf'], 'wildcards in intermediate components');
  t.same(fs.glob('*', '/e'), ['/e/a.conf', '/e/b.conf', '/e/d/'], 'directories are marked');
  t.same(fs.glob('d/../b.conf', '/e'), ['/e/b.conf']);
  t.same(fs.glob('nothere', '/e'), []);
});

t.test('node fs: glob and read in a temp directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsd-glob-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'conf.d'));
  mkdirSync(join(dir, 'conf.d', 'sub.conf'));
  writeFileSync(join(dir, 'conf.d', 'b.conf'), 'b 1\n');
  writeFileSync(join(dir, 'conf.d', 'a.conf'), 'a 1\n');
  writeFileSync(join(dir, 'exec.conf'), 'x\n');
  chmodSync(join(dir, 'exec.conf'), 0o755);
  const fs = nodeConfigFs();
  t.same(fs.glob('conf.d/*.conf', dir), [join(dir, 'conf.d/a.conf'), join(dir, 'conf.d/b.conf'), `${join(dir, 'conf.d/sub.conf')}/`]);
  t.same(fs.glob(join(dir, 'conf.d', 'a.conf'), '/'), [join(dir, 'conf.d/a.conf')]);
  t.same(fs.glob('missing/*.conf', dir), []);
  t.equal(fs.readFile(join(dir, 'conf.d', 'a.conf'), 1 << 20), 'a 1\n');
  t.throws(() => fs.readFile(join(dir, 'exec.conf'), 1 << 20), /executable/);
  t.throws(() => fs.readFile(join(dir, 'conf.d'), 1 << 20), /regular/);
  t.throws(() => fs.readFile(join(dir, 'nothere'), 1 << 20));
});
