import t from 'tap';
import { decomment, LineReader, tokenize, type SourceLine } from '../../../src/config/lexer.js';
import type { Diagnostic } from '../../../src/config/tree.js';

/** Every line of `text`, read through a LineReader, and what it reported. */
function lexAll(text: string, file: string): { lines: SourceLine[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const reader = new LineReader(text, file, (d) => diagnostics.push(d));
  const lines: SourceLine[] = [];
  for (let l = reader.next(); l !== null; l = reader.next()) lines.push(l);
  return { lines, diagnostics };
}

const words = (s: string): string[] => tokenize(s).tokens.map((x) => (x.kind === 'word' ? x.text : `<${x.text}>`));

t.test('comments start with # or ! anywhere outside double quotes', async (t) => {
  t.equal(decomment('# whole line').text, '');
  t.equal(decomment('! whole line').text, '');
  t.equal(decomment('  priority 100   # after content').text, 'priority 100');
  t.equal(decomment('auth_pass ab!cd').text, 'auth_pass ab', "a '!' in a password starts a comment (keepalived #955)");
  t.equal(decomment('script "/bin/x #1 !2" # c').text, 'script "/bin/x #1 !2"');
  t.equal(decomment("script '/bin/x #1'").text, "script '/bin/x", 'single quotes do not protect comments');
  t.equal(decomment('\tkey\tvalue\t').text, 'key\tvalue', 'leading and trailing blanks go');
});

t.test('backslash escapes of comment characters and continuation', async (t) => {
  t.equal(decomment('auth_pass ab\\!cd').text, 'auth_pass ab!cd');
  t.equal(decomment('x a\\#b').text, 'x a#b');
  t.equal(decomment('x "a\\#b"').text, 'x "a\\#b"', 'inside quotes the escape is left for the script splitter');
  t.equal(decomment('x \\\\').text, 'x \\\\', 'an escaped backslash does not continue');
  t.notOk(decomment('x \\\\').continued);
  const c = decomment('lvs_sync_daemon eth0   \\');
  t.same(c, { text: 'lvs_sync_daemon eth0', continued: true, quoteError: false });
  t.notOk(decomment('x # comment \\').continued, 'a backslash inside a comment is part of the comment');
  t.equal(decomment('x "a \\" b"').quoteError, false, 'an escaped quote does not toggle quoting');
});

t.test('unterminated double quote', async (t) => {
  t.ok(decomment('notify "/bin/x arg').quoteError);
  t.equal(decomment('notify "/bin/x # arg').text, 'notify "/bin/x # arg', 'an open quote keeps the # as text');
  const r = lexAll('a 1\nb "x\nc 3\n', 'f.conf');
  t.equal(r.diagnostics.length, 1);
  t.match(r.diagnostics[0], { severity: 'error', code: 'LVSD_E_CONFIG_SYNTAX', loc: { file: 'f.conf', line: 2 } });
});

t.test('LineReader numbers lines and marks blank ones', async (t) => {
  const r = lexAll('a\r\n\r\n  # c\n\\\nlast', 'k.conf');
  t.same(
    r.lines.map((l) => [l.line, l.text, l.blank, l.continued]),
    [
      [1, 'a', false, false],
      [2, '', true, false],
      [3, '', false, false],
      [4, '', false, true],
      [5, 'last', false, false],
    ],
  );
  t.equal(lexAll('x\n', 'k').lines.length, 1, 'a final newline adds no line');
  t.equal(lexAll('', 'k').lines.length, 0);
  t.same(lexAll('a\n\n', 'k').lines.map((l) => l.blank), [false, true], 'an empty last line before the final newline is a line');
});

t.test('LineReader looks one line ahead without consuming it and lexes each line once', async (t) => {
  const reported: Diagnostic[] = [];
  const r = new LineReader('x "open\ny\n', 'k', (d) => reported.push(d));
  t.equal(r.peek()?.text, 'x "open');
  t.equal(r.peek()?.line, 1, 'peeking twice gives the same line');
  t.equal(reported.length, 1, 'the unclosed quote is reported when its line is lexed, once');
  t.equal(r.next()?.line, 1);
  t.equal(r.next()?.text, 'y');
  t.equal(r.next(), null);
  t.equal(r.peek(), null, 'the end stays the end');
  t.equal(reported.length, 1);
});

t.test('tokenize splits braces even when glued', async (t) => {
  t.same(words('virtual_server 1.2.3.4 80{'), ['virtual_server', '1.2.3.4', '80', '<{>']);
  t.same(words('real_server 1.1.1.1 80 {weight 1}'), ['real_server', '1.1.1.1', '80', '<{>', 'weight', '1', '<}>']);
  t.same(words('}}'), ['<}>', '<}>']);
  t.same(words('a{b}c'), ['a', '<{>', 'b', '<}>', 'c']);
});

t.test('tokenize double quotes as keepalived alloc_strvec does', async (t) => {
  t.same(words('notify "/bin/x a b" user'), ['notify', '/bin/x a b', 'user']);
  t.same(words('k10"a b"c'), ['k10', 'a b', 'c'], 'a quote ends a word and starts another');
  t.same(words('x "{" "}"'), ['x', '{', '}'], 'quoted braces are words');
  t.same(words("x 'a b'"), ['x', "'a", "b'"], 'single quotes are not special here (scripts re-split with quoted.ts)');
  t.same(words('x "" y'), ['x', '', 'y']);
  const open = tokenize('x "abc');
  t.ok(open.unmatchedQuote);
  t.same(open.tokens.map((k) => k.text), ['x', 'abc']);
  t.same(words('a\tb\fc\vd'), ['a', 'b', 'c', 'd']);
});

t.test('tokenize keeps an unexpanded ${NAME} as one word', async (t) => {
  t.same(words('ip ${UNDEF}.1/24 {'), ['ip', '${UNDEF}.1/24', '<{>']);
  t.same(words('x ${_RANDOM 1 2}'), ['x', '${_RANDOM 1 2}']);
  t.same(words('x ${ bad}'), ['x', '$', '<{>', 'bad', '<}>'], 'not a parameter reference: braces split');
  t.same(words('a${A_1}z ${1A}'), ['a${A_1}z', '$', '<{>', '1A', '<}>']);
});

t.test('token offsets cover the source text', async (t) => {
  const text = 'a "b c" {d}';
  for (const tok of tokenize(text).tokens) {
    const src = text.slice(tok.start, tok.end);
    t.equal(src.replace(/^"|"$/g, ''), tok.text);
  }
});
