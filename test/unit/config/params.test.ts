import t from 'tap';
import { ParamTable, parseDefinition, scanRef, type Builtins } from '../../../src/config/params.js';
import { applyConditional } from '../../../src/config/conditional.js';
import { DEFAULT_LIMITS } from '../../../src/config/options.js';

const builtins: Builtins = { dir: '/etc/keepalived', instance: 'lb1', random: (min, max) => (min + max) / 2 };

const expand = (p: ParamTable, s: string) => p.expand(s, builtins, DEFAULT_LIMITS);

t.test('definitions', async (t) => {
  t.same(parseDefinition('$PRIORITY=240'), { name: 'PRIORITY', value: '240' });
  t.same(parseDefinition('$_x1=  a b '), { name: '_x1', value: 'a b ' });
  t.same(parseDefinition('$EMPTY='), { name: 'EMPTY', value: '' });
  t.equal(parseDefinition('$1X=3'), null, 'names cannot start with a digit');
  t.equal(parseDefinition('$X =3'), null, 'no blank before =');
  t.equal(parseDefinition(' $X=3'), null);
  t.equal(parseDefinition('$X'), null);
});

t.test('reference shapes (find_definition)', async (t) => {
  t.match(scanRef('$A b', 0), { name: 'A', end: 2 });
  t.match(scanRef('$A,', 0), { name: 'A' });
  t.match(scanRef('$A)', 0), { name: 'A' });
  t.equal(scanRef('$A.b', 0), null, 'unbraced needs a blank, comma, ) or the end after it');
  t.match(scanRef('${A}.b', 0), { name: 'A', end: 4, params: null });
  t.match(scanRef('${_RANDOM 1 9}x', 0), { name: '_RANDOM', params: '1 9' });
  t.equal(scanRef('${_RANDOM 1 }', 0), null, 'no blank after the arguments');
  t.equal(scanRef('${A', 0), null);
  t.equal(scanRef('$1', 0), null);
});

t.test('substitution is recursive and done at use time', async (t) => {
  // keepalived.conf(5) "Parameter substitution" example.
  const p = new ParamTable();
  p.set('ADDRESS_BASE', ['10.2.${ADDRESS_BASE_SUB}']);
  p.set('ADDRESS_BASE_SUB', ['0']);
  t.equal(expand(p, '${ADDRESS_BASE}.100/32').text, '10.2.0.100/32');
  p.set('ADDRESS_BASE_SUB', ['10']);
  t.equal(expand(p, '${ADDRESS_BASE}.100/32').text, '10.2.10.100/32');
  t.same(expand(p, 'x $UNDEF ${UNDEF} $1').text, 'x $UNDEF ${UNDEF} $1', 'undefined names stay');
  t.notOk(expand(p, 'x $UNDEF').changed);
  t.equal(expand(p, '"$ADDRESS_BASE_SUB"').text, '"$ADDRESS_BASE_SUB"', 'followed by a quote: not a reference');
  t.equal(expand(p, '"${ADDRESS_BASE_SUB}"').text, '"10"', 'braces work inside quotes');
  t.same(p.unexpanded('a $B ${C} $ADDRESS_BASE'), [
    { name: 'B', multilineMidLine: false },
    { name: 'C', multilineMidLine: false },
  ]);
});

t.test('pre-defined definitions', async (t) => {
  const p = new ParamTable();
  t.equal(expand(p, '${_PWD}/x $_INSTANCE ${_HASH}${_BANG}').text, '/etc/keepalived/x lb1 #!');
  t.equal(expand(p, '${_RANDOM}').text, String(32767 / 2));
  t.equal(expand(p, '${_RANDOM 10}').text, String((10 + 32767) / 2));
  t.equal(expand(p, '${_RANDOM 4 8}').text, '6');
  t.match(expand(p, '${_RANDOM 9 2}').error, /MIN greater than MAX/);
  t.match(expand(p, '${_RANDOM 1 2 3}').error, /at most/);
  t.equal(expand(p, '${_PWD 1}').text, '${_PWD 1}', 'only _RANDOM takes arguments');
  p.set('_PWD', ['mine']);
  t.equal(expand(p, '$_PWD').text, 'mine', 'a definition overrides a pre-defined name');
});

t.test('multi-line definitions expand only at the end of a line', async (t) => {
  const p = new ParamTable();
  p.set('ML', ['first $N', 'second', 'third'], true);
  p.set('N', ['7']);
  const e = expand(p, 'x $ML');
  t.equal(e.text, 'x first 7');
  t.same(e.following, ['second', 'third']);
  t.equal(expand(p, '$ML x').text, '$ML x');
  t.same(p.unexpanded('$ML x'), [{ name: 'ML', multilineMidLine: true }]);
  p.set('EMPTY', [], true);
  t.equal(expand(p, 'a $EMPTY b').text, 'a  b', 'an empty multi-line definition is an ordinary one');
});

t.test('runaway substitution is bounded', async (t) => {
  const p = new ParamTable();
  p.set('A', ['$A']);
  t.match(expand(p, 'x $A').error, /refers to itself/);
  p.set('B', [`${'x'.repeat(1000)}\${B}`]);
  const long = expand(p, '${B}');
  t.match(long.error, /longer than 65536/);
  t.ok(long.text.length <= 65536);
});

t.test('a value starting with ~ stops the round for the generator', async (t) => {
  const p = new ParamTable();
  p.set('G', ['~SEQ(i,1,2) x${i}']);
  p.set('i', ['stale']);
  const e = expand(p, '$G');
  t.equal(e.text, '~SEQ(i,1,2) x${i}');
  t.ok(e.stoppedAtGenerator);
});

t.test('conditionals', async (t) => {
  t.same(applyConditional('router_id a', 'main'), { kind: 'none' });
  t.same(applyConditional('@main router_id a', 'main'), { kind: 'keep', text: 'router_id a' });
  t.same(applyConditional('@main\t\trouter_id a', 'main'), { kind: 'keep', text: 'router_id a' });
  t.same(applyConditional('@backup router_id a', 'main'), { kind: 'drop' });
  t.same(applyConditional('@^backup x', 'main'), { kind: 'keep', text: 'x' });
  t.same(applyConditional('@^main x', 'main'), { kind: 'drop' });
  t.same(applyConditional('@main x', undefined), { kind: 'drop' });
  t.same(applyConditional('@mainx x', 'main'), { kind: 'drop' });
  t.match(applyConditional('@ x', 'main'), { kind: 'bad', severity: 'error' });
  t.match(applyConditional('@^ x', 'main'), { kind: 'bad', severity: 'error' });
  t.match(applyConditional('@main', 'main'), { kind: 'bad', severity: 'warning' });
});
