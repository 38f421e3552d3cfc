// Property test of the lexer and preprocessor: config-ish token soup plus arbitrary strings, with
// includes that may cycle, never throws, never hangs, and every finding points into the input.
import t from 'tap';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { parseConfigText } from '../../../src/config/parse.js';
import type { ConfigNode, Diagnostic } from '../../../src/config/tree.js';
import { memOptions } from './fixtures/memfs.js';

const DIR = '/etc/keepalived';
const MAIN = `${DIR}/keepalived.conf`;
// LVSD_FUZZ_RUNS raises the count for a longer local or nightly run.
const RUNS = Number(process.env.LVSD_FUZZ_RUNS ?? 300);
const MS_PER_RUN = 2000;

const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('global_defs', 'vrrp_instance', 'virtual_server', 'real_server', 'router_id', 'priority', 'weight', '10.0.0.1', '80', '10.0.0.1-10') },
  { weight: 4, arbitrary: fc.constantFrom('{', '}', '{}', 'x{', '}y') },
  { weight: 2, arbitrary: fc.constantFrom('"quoted words"', '"unterminated', "'single'", '"{"', '""', '\\"', 'a"b"c') },
  { weight: 2, arbitrary: fc.constantFrom('# comment', '! bang', '\\#', '\\!', '\\', '\\\\') },
  { weight: 2, arbitrary: fc.constantFrom('@main', '@^main', '@', '@^', '@other') },
  { weight: 3, arbitrary: fc.constantFrom('$X=1', '$X=$X', '$Y=${X}.2', '$ML= \\', '$ML', '$X', '${X}', '${Y}', '${UNDEF}', '$G=~SEQ(k,1,2) g$k') },
  { weight: 2, arbitrary: fc.constantFrom('${_PWD}', '${_INSTANCE}', '${_RANDOM 1 3}', '${_RANDOM 3 1}', '${_HASH}', '${_BANG}') },
  { weight: 2, arbitrary: fc.constantFrom('~SEQ(i,1,3)', '~SEQx(i,0,15,5)', '~SEQ(i,3)', '~LST(a,1,2)', '~LST({a,b},{1,2},{3})', '~SEQ(i,1', '~SEQ(i,0,0,3)', '~LST(') },
  { weight: 2, arbitrary: fc.constantFrom('include a.conf', 'include b.conf', 'includea *.conf', 'include keepalived.conf', 'include_check', 'includer nothere', 'include {a,b}.conf') },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);

const separator = fc.constantFrom(' ', ' ', '\t', '');
const line = fc.array(fc.tuple(token, separator), { maxLength: 8 }).map((parts) => parts.map(([tk, sep]) => tk + sep).join(''));
const file = fc.tuple(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n')).map(([lines, eol]) => lines.join(eol));

const lineCount = (text: string): number => {
  const lines = text.split('\n');
  return lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
};

function checkLoc(what: string, loc: { file: string; line: number }, texts: ReadonlyMap<string, string>): string | null {
  const text = texts.get(loc.file);
  if (text === undefined) return `${what} names an unknown file ${loc.file}`;
  if (!Number.isInteger(loc.line) || loc.line < 1 || loc.line > lineCount(text)) return `${what} line ${loc.line} is outside ${loc.file}`;
  return null;
}

function walk(nodes: readonly ConfigNode[], visit: (n: ConfigNode) => void): void {
  for (const n of nodes) {
    visit(n);
    if (n.children) walk(n.children, visit);
  }
}

t.test('lexer and preprocessor on generated input', async (t) => {
  let slowest = 0;
  fc.assert(
    fc.property(file, file, file, (main, a, b) => {
      const texts = new Map([
        [MAIN, main],
        [`${DIR}/a.conf`, a],
        [`${DIR}/b.conf`, b],
      ]);
      const started = performance.now();
      const files = { [MAIN]: main, [`${DIR}/a.conf`]: a, [`${DIR}/b.conf`]: b };
      const r = parseConfigText(main, memOptions(files));
      const ms = performance.now() - started;
      slowest = Math.max(slowest, ms);
      if (ms > MS_PER_RUN) throw new Error(`took ${ms.toFixed(0)} ms`);
      const problems: string[] = [];
      r.diagnostics.forEach((d: Diagnostic) => {
        if (d.code === 'LVSD_E_CONFIG_INTERNAL') problems.push(`internal error: ${d.message}`);
        if (!/^LVSD_[EW]_CONFIG_[A-Z_]+$/.test(d.code)) problems.push(`odd code ${d.code}`);
        if (d.message.length === 0 || d.message.includes('\n')) problems.push(`message is not one line: ${d.message}`);
        const bad = checkLoc(`diagnostic '${d.message}'`, d.loc, texts);
        if (bad) problems.push(bad);
      });
      walk(r.nodes, (n) => {
        const bad = checkLoc(`node ${n.keyword}`, n.loc, texts);
        if (bad) problems.push(bad);
        if (typeof n.keyword !== 'string' || !n.args.every((x) => typeof x === 'string')) problems.push('non-string word');
        if (n.keyword === '{' || n.keyword === '}' || n.args.includes('{') || n.args.includes('}')) {
          // A brace word is only legitimate when it came from a quoted "{" in the source.
          if (!(n.text ?? '').includes('"')) problems.push(`unquoted brace kept as a word in ${n.keyword}`);
        }
      });
      const sunk: ConfigNode[] = [];
      const streamed = parseConfigText(main, { ...memOptions(files), sink: (n) => sunk.push(n) });
      if (streamed.nodes.length > 0) problems.push('a sink was given but nodes were kept');
      if (!isDeepStrictEqual(sunk, r.nodes)) problems.push('the sink received other statements than the tree holds');
      if (!isDeepStrictEqual(streamed.diagnostics, r.diagnostics)) problems.push('handing statements to a sink changed the diagnostics');
      if (problems.length > 0) throw new Error(problems.join('; '));
    }),
    { numRuns: RUNS },
  );
  t.comment(`slowest run ${slowest.toFixed(1)} ms`);
  t.pass(`${RUNS} runs`);
});

t.test('arbitrary text never throws', async (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
      const r = parseConfigText(text, memOptions({}));
      if (r.diagnostics.some((d) => d.code === 'LVSD_E_CONFIG_INTERNAL')) throw new Error('internal error');
    }),
    { numRuns: RUNS },
  );
  t.pass(`${RUNS} runs`);
});
