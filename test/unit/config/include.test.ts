import t from 'tap';
import {
  INCLUDE_ALL,
  INCLUDE_B,
  INCLUDE_M,
  INCLUDE_R,
  INCLUDE_W,
  applyIncludeCheck,
  parseInclude,
  resolveInclude,
} from '../../../src/config/include.js';
import { memFs } from './fixtures/memfs.js';

t.test('include keywords and their checks', async (t) => {
  t.same(parseInclude('include conf.d/*.conf'), { keyword: 'include', flags: 0, pattern: 'conf.d/*.conf' });
  t.same(parseInclude('includer a'), { keyword: 'includer', flags: INCLUDE_R, pattern: 'a' });
  t.same(parseInclude('includem a')?.flags, INCLUDE_R | INCLUDE_M);
  t.same(parseInclude('includew a')?.flags, INCLUDE_R | INCLUDE_M | INCLUDE_W);
  t.same(parseInclude('includeb a')?.flags, INCLUDE_R | INCLUDE_B);
  t.same(parseInclude('includea a')?.flags, INCLUDE_ALL);
  t.same(parseInclude('include   /p/with space.conf')?.pattern, '/p/with space.conf', 'the rest of the line, verbatim');
  t.same(parseInclude('include'), { keyword: 'include', flags: 0, pattern: '' });
  t.equal(parseInclude('includex a'), null);
  t.equal(parseInclude('include_check'), null);
  t.equal(parseInclude('includes'), null);
});

t.test('include_check options (include_check_set)', async (t) => {
  t.same(applyIncludeCheck(0, []), { flags: INCLUDE_ALL, problems: [] });
  t.same(applyIncludeCheck(INCLUDE_ALL, ['match']).flags, INCLUDE_R | INCLUDE_M, 'a bare name replaces and implies read');
  t.same(applyIncludeCheck(0, ['readable']).flags, INCLUDE_R, "the man page's name");
  t.same(applyIncludeCheck(0, ['read']).flags, INCLUDE_R, "the code's name");
  t.same(applyIncludeCheck(INCLUDE_R, ['+match', '-read']).flags, INCLUDE_M);
  t.same(applyIncludeCheck(INCLUDE_ALL, ['+match', '-wildcard_match']).flags, INCLUDE_R | INCLUDE_M | INCLUDE_B, 'the man page example');
  const bad = applyIncludeCheck(0, ['match', 'brace_match', '+nonsense']);
  t.equal(bad.flags, INCLUDE_R | INCLUDE_M);
  t.equal(bad.problems.length, 2);
});

t.test('resolving patterns and classifying misses', async (t) => {
  const fs = memFs({ '/k/a.conf': '', '/k/conf.d/1.conf': '', '/k/conf.d/2.conf': '', '/k/empty/.keep': '' });
  const r = (p: string) => resolveInclude(p, '/k', fs.glob);
  t.same(r('conf.d/*.conf'), { files: ['/k/conf.d/1.conf', '/k/conf.d/2.conf'], problems: [] });
  t.same(r('/k/a.conf').files, ['/k/a.conf']);
  t.same(r('{a,conf.d/2}.conf').files, ['/k/a.conf', '/k/conf.d/2.conf'], 'brace alternatives in order');
  t.match(r('nothere.conf'), { files: [], problems: [{ flag: INCLUDE_M, message: /'\/k\/nothere.conf' does not exist/ }] });
  t.match(r('empty/*.conf'), { files: [], problems: [{ flag: INCLUDE_W }] }, 'an existing directory without matches');
  t.match(r('nodir/*.conf'), { files: [], problems: [{ flag: INCLUDE_M }] }, 'a missing directory is a missing file');
  t.match(r('{a,zz}.conf'), { files: ['/k/a.conf'], problems: [{ flag: INCLUDE_B, message: /zz.conf/ }] });
  t.match(r('conf.d'), { files: [], problems: [{ flag: INCLUDE_R, message: /directory/ }] });
  t.same(r('*').files, ['/k/a.conf'], 'directories matched by a wildcard are skipped quietly');
  const throwing = resolveInclude('x', '/k', () => {
    throw new Error('EACCES');
  });
  t.match(throwing.problems[0], { flag: INCLUDE_R, message: /EACCES/ });
});
