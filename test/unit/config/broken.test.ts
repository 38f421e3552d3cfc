// A corpus of broken inputs for the lexer and preprocessor: each must give exactly one error, with the
// right code, at the right file and line.
import t from 'tap';
import { parseConfigText } from '../../../src/config/parse.js';
import { memOptions } from './fixtures/memfs.js';
import { errors } from './fixtures/shape.js';

const MAIN = '/etc/keepalived/keepalived.conf';

interface Broken {
  readonly name: string;
  readonly text: string;
  readonly files?: Record<string, string>;
  readonly code: string;
  readonly line: number;
  readonly file?: string;
  readonly message?: RegExp;
}

const corpus: Broken[] = [
  { name: 'block never closed', text: 'global_defs {\n  router_id a\nvrrp_instance VI_1 {\n  state MASTER\n}\n', code: 'LVSD_E_CONFIG_SYNTAX', line: 1, message: /'global_defs' opened here is never closed/ },
  { name: 'extra closing brace', text: 'global_defs {\n}\n}\nlvs_flush\n', code: 'LVSD_E_CONFIG_SYNTAX', line: 3, message: /Unexpected '}'/ },
  { name: 'brace with no keyword', text: 'a {\n}\n{\n  b\n}\n', code: 'LVSD_E_CONFIG_SYNTAX', line: 3, message: /Unexpected '{'/ },
  { name: 'unterminated quote', text: 'vrrp_script s {\n  script "/bin/check arg\n}\n', code: 'LVSD_E_CONFIG_SYNTAX', line: 2, message: /never closed/ },
  { name: '~SEQ without closing parenthesis', text: 'a\n\n~SEQ(i, 1, 3 x$i\n', code: 'LVSD_E_CONFIG_SEQUENCE', line: 3 },
  { name: '~SEQ with a step that never arrives', text: 'x {\n  ~SEQ(i, 1, -1, 5) ip 10.0.0.$i\n}\n', code: 'LVSD_E_CONFIG_SEQUENCE', line: 2 },
  { name: '~SEQx with a negative number', text: '~SEQx(i, -4, 4) x$i\n', code: 'LVSD_E_CONFIG_SEQUENCE', line: 1 },
  { name: '~SEQ with a bad variable name', text: '# c\n~SEQ(1i, 1, 2) x\n', code: 'LVSD_E_CONFIG_SEQUENCE', line: 2 },
  { name: '~LST with too many values', text: 'y\n~LST({a,b}, {1,2,3}) x\n', code: 'LVSD_E_CONFIG_SEQUENCE', line: 2 },
  { name: 'includea of a missing file', text: 'global_defs {\n}\nincludea /etc/keepalived/nothere.conf\n', code: 'LVSD_E_CONFIG_INCLUDE', line: 3, message: /does not exist/ },
  { name: 'include of a missing file with include_check', text: 'global_defs {\n  include_check\n}\ninclude conf.d/x.conf\n', code: 'LVSD_E_CONFIG_INCLUDE', line: 4 },
  { name: 'include cycle', text: 'include a.conf\n', files: { '/etc/keepalived/a.conf': '\n\ninclude ./a.conf\n' }, code: 'LVSD_E_CONFIG_INCLUDE', line: 3, file: '/etc/keepalived/a.conf', message: /cycle/ },
  { name: 'include without a file name', text: 'x\ninclude\n', code: 'LVSD_E_CONFIG_INCLUDE', line: 2 },
  { name: 'includer of a directory', text: 'includer conf.d\n', files: { '/etc/keepalived/conf.d/a.conf': 'a\n' }, code: 'LVSD_E_CONFIG_INCLUDE', line: 1, message: /directory/ },
  { name: 'unknown include_check option', text: 'global_defs {\n  include_check +sometimes\n}\n', code: 'LVSD_E_CONFIG_SYNTAX', line: 2 },
  { name: "'@' without a config id", text: 'global_defs {\n  @ router_id r1\n}\n', code: 'LVSD_E_CONFIG_CONDITIONAL', line: 2 },
  { name: "'@^' without a config id", text: '\n@^ priority 100\n', code: 'LVSD_E_CONFIG_CONDITIONAL', line: 2 },
  { name: 'parameter that refers to itself', text: '$A=x $A\n\nrouter_id $A\n', code: 'LVSD_E_CONFIG_PARAM', line: 3 },
  { name: '_RANDOM with MIN above MAX', text: 'a\nweight ${_RANDOM 9 3}\n', code: 'LVSD_E_CONFIG_PARAM', line: 2 },
  { name: 'multi-line parameter that uses itself', text: '$M= \\\nx \\\n$M\n\n$M\n', code: 'LVSD_E_CONFIG_LIMIT', line: 5 },
  { name: 'generator beyond the line budget', text: 'a\nb\n~SEQ(i, 1, 100000000) x$i\n', code: 'LVSD_E_CONFIG_LIMIT', line: 3 },
  { name: 'block left open in an included file', text: 'include a.conf\n', files: { '/etc/keepalived/a.conf': 'x\nvirtual_server 1.2.3.4 80 {\n' }, code: 'LVSD_E_CONFIG_SYNTAX', line: 2, file: '/etc/keepalived/a.conf' },
];

t.test('each broken input gives one error at its line', async (t) => {
  t.ok(corpus.length >= 12);
  for (const c of corpus) {
    const r = parseConfigText(c.text, memOptions(c.files ?? {}));
    const errs = errors(r.diagnostics);
    t.equal(errs.length, 1, `${c.name}: exactly one error (${errs.map((e) => e.message).join(' | ')})`);
    t.match(errs[0], { code: c.code, loc: { file: c.file ?? MAIN, line: c.line } }, c.name);
    if (c.message) t.match(errs[0]?.message, c.message, `${c.name}: message`);
    t.match(errs[0]?.message, /^[A-Z'"~$@].*\.$/s, `${c.name}: one sentence`);
  }
});

t.test('the same inputs parse cleanly once fixed', async (t) => {
  const fixed = parseConfigText('global_defs {\n  router_id a\n}\n~SEQ(i, 1, 3) x$i\n', memOptions({}));
  t.same(errors(fixed.diagnostics), []);
});
