// The keyword-table walker on a small table of its own, with ConfigNodes written by hand (no stage 1–2).
import t from 'tap';
import { Ctx, Diagnostics } from '../../../src/config/keywords/context.js';
import { applyBlock, keywordsFor, type Table } from '../../../src/config/keywords/table.js';
import { script, uint, word } from '../../../src/config/keywords/values.js';
import type { ScriptSpec } from '../../../src/model/config.js';
import type { ConfigNode } from '../../../src/config/tree.js';

interface Draft {
  size?: number;
  name?: string;
  run?: ScriptSpec;
  items: string[];
}

const k = keywordsFor<Draft>();
const SIZE = k.value('size', uint(1, 10));
const TABLE: Table<Draft> = {
  size: SIZE,
  old_size: k.deprecated(SIZE, 'use size'),
  name: k.once('name', word),
  run: k.value('run', script),
  items: k.words((d, w) => d.items.push(...w)),
  snmp: k.ignored('no SNMP here'),
};

let line = 0;
const node = (keyword: string, args: string[] = [], children: ConfigNode[] | null = null): ConfigNode => ({ keyword, args, loc: { file: 'f', line: ++line }, children });

function run(nodes: ConfigNode[]) {
  const diag = new Diagnostics();
  const draft: Draft = { items: [] };
  applyBlock(TABLE, nodes, draft, new Ctx(diag, {}, 'thing T'));
  return { draft, diags: diag.list.map((d) => `${d.severity} ${d.code} ${d.loc.line}: ${d.message}`) };
}

t.test('values, aliases and deprecated spellings', async (t) => {
  line = 0;
  const r = run([node('size', ['3']), node('old_size', ['4'])]);
  t.equal(r.draft.size, 4, 'the deprecated alias sets the same field');
  t.same(r.diags, ['warning LVSD_W_CONFIG_DEPRECATED 2: thing T: old_size is deprecated; use size']);
});

t.test('a bad value is an error with the line and a sentence', async (t) => {
  line = 0;
  const r = run([node('size', ['11'])]);
  t.equal(r.draft.size, undefined);
  t.same(r.diags, ['error LVSD_E_CONFIG_VALUE 1: thing T: size must be a whole number from 1 to 10, not "11"']);
});

t.test('once: keepalived keeps the first and ignores repeats', async (t) => {
  line = 0;
  const r = run([node('name', ['a']), node('name', ['b'])]);
  t.equal(r.draft.name, 'a');
  t.match(r.diags, [/warning LVSD_W_CONFIG_ADJUSTED 2: .*already set/]);
});

t.test('unknown keywords are warnings; misplaced blocks are errors', async (t) => {
  line = 0;
  const r = run([node('colour', ['red']), node('real_server', ['10.0.0.1', '80'], []), node('weight', ['1'])]);
  t.same(r.diags, [
    'warning LVSD_W_CONFIG_UNKNOWN_KEYWORD 1: thing T: unknown keyword colour',
    'error LVSD_E_CONFIG_PLACEMENT 2: thing T: real_server is only valid inside a virtual_server block',
    'warning LVSD_W_CONFIG_UNKNOWN_KEYWORD 3: thing T: unknown keyword weight',
  ]);
});

t.test('block shape: required blocks and stray blocks', async (t) => {
  line = 0;
  const r = run([node('items', ['x']), node('size', ['2'], [node('inner')])]);
  t.same(r.draft.items, []);
  t.equal(r.draft.size, 2);
  t.match(r.diags, [/error LVSD_E_CONFIG_MISSING 1: thing T: items needs a \{ … \} block/, /warning .* size does not take a \{ \} block/]);
});

t.test('value blocks collect every word of every line', async (t) => {
  line = 0;
  const r = run([node('items', [], [node('a', ['b']), node('c')])]);
  t.same(r.draft.items, ['a', 'b', 'c']);
});

t.test('an ignored feature warns once per keyword, naming what is ignored', async (t) => {
  line = 0;
  const r = run([node('snmp', ['on']), node('snmp', [], [node('x')])]);
  t.same(r.diags, ['warning LVSD_W_CONFIG_IGNORED 1: snmp is accepted but ignored: no SNMP here']);
});

t.test('script keywords re-split the statement text with quotes and escapes', async (t) => {
  line = 0;
  const n = node('run', ["'/opt/my", "app/run'"]);
  t.same(run([{ ...n, text: `run "'/opt/my app/run' --flag" root` }]).draft.run, { argv: ['/opt/my app/run', '--flag'], user: 'root', group: null });
  t.match(run([n]).diags, [/cannot be split into words/], 'without the text only the first split is known');
  const bad = node('run', ['x']);
  const r = run([{ ...bad, text: 'run "unterminated' }]);
  t.match(r.diags, [/run: .*never closed/], 'an unsplittable line is reported');
  t.same(r.draft.run?.argv, ['x'], '…and the first split is used');
});
