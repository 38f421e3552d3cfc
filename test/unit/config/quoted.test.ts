import t from 'tap';
import { splitQuotedEscaped } from '../../../src/config/quoted.js';

const split = (s: string): string[] | string => {
  const r = splitQuotedEscaped(s);
  return 'words' in r ? r.words : r.error;
};

t.test('quotes join words as keepalived.conf(5) "Quoted strings" shows', async (t) => {
  t.same(split('abcd" efg h jkl "mnop'), ['abcd efg h jkl mnop']);
  t.same(split('abcd "efg h jkl" mnop'), ['abcd', 'efg h jkl', 'mnop']);
  t.same(split(`/bin/x 'a b' "c 'd'" 'e "f"'`), ['/bin/x', 'a b', "c 'd'", 'e "f"']);
  t.same(split('  '), []);
  t.same(split(`''`), ['']);
});

t.test('shell-like escapes', async (t) => {
  t.same(split('\\a\\b\\E\\f\\n\\r\\t\\v'), ['\x07\b\x1b\f\n\r\t\v']);
  t.same(split('\\101\\7x'), ['A\x07x'], 'octal, up to three digits');
  t.same(split('\\x41\\x4142'), ['AB'], '2.2.7 reads every hex digit and keeps the low byte');
  t.same(split('\\xg'), ['xg'], '\\x without a hex digit is a plain x');
  t.same(split('\\cA\\c['), ['\x01\x1b'], 'control characters');
  t.same(split('a\\ b \\"q\\" \\\\'), ['a b', '"q"', '\\']);
  t.same(split('"in \\"quotes\\""'), ['in "quotes"']);
});

t.test('errors', async (t) => {
  t.match(split('"abc'), /double quote/);
  t.match(split("x 'abc"), /single quote/);
  t.match(split('abc\\'), /backslash/);
});
