import t from 'tap';
import { parseLst, parseSeq, type Generator } from '../../../src/config/sequence.js';

const noParams = (s: string): string => s;

function values(r: { generator: Generator } | { error: string }): string[][] | string {
  if ('error' in r) return r.error;
  const out: string[][] = [];
  for (let k = 0; k < r.generator.count; k++) out.push(r.generator.bindings(k).map(([n, v]) => `${n}=${v}`));
  return out;
}

const seq = (s: string) => values(parseSeq(s, noParams));

t.test('~SEQ forms from keepalived.conf(5)', async (t) => {
  t.same(seq('~SEQ(SUBNET, 0, 3) ip_address 10.0.${SUBNET}.1'), [['SUBNET=0'], ['SUBNET=1'], ['SUBNET=2'], ['SUBNET=3']]);
  t.same(seq('~SEQx(SUBNET, 144, 16, 192) x'), [['SUBNET=90'], ['SUBNET=a0'], ['SUBNET=b0'], ['SUBNET=c0']]);
  t.same(seq('~SEQx(SUBNET, 0x90, 0x10, 0xc0) x'), [['SUBNET=90'], ['SUBNET=a0'], ['SUBNET=b0'], ['SUBNET=c0']]);
  t.same(seq('~SEQx(AD1, 0x12, -1, 0x0c) x').length, 7);
  t.same(seq('~SEQ(i, 3)'), [['i=1'], ['i=2'], ['i=3']], 'start defaults to 1');
  t.same(seq('~SEQ(i, -2)'), [['i=-1'], ['i=-2']], 'or -1 when end < 0');
  t.same(seq('~SEQ(i, 5, 2)'), [['i=5'], ['i=4'], ['i=3'], ['i=2']], 'step defaults toward end');
  t.same(seq('~SEQ(i, 010, 3, 0x10)'), [['i=8'], ['i=11'], ['i=14']], 'numbers are read as strtol(…, 0)');
  t.same(seq('~SEQ(i,,2)'), [['i=0'], ['i=1'], ['i=2']], 'an empty number is 0, as strtol gives');
  const g = parseSeq('~SEQ(i,1,2)   rest of line', noParams);
  t.equal('generator' in g && g.generator.text, 'rest of line');
});

t.test('~SEQ numbers may use parameters', async (t) => {
  const r = parseSeq('~SEQ(i, 1, $N) x', (s) => s.replace('$N', '2'));
  t.same(values(r), [['i=1'], ['i=2']]);
  t.match(values(parseSeq('~SEQ(i, 1, $N) x', () => null)), /could not be expanded/);
});

t.test('bad ~SEQ', async (t) => {
  t.match(seq('~SEQ i,1,2'), /Invalid ~SEQ/);
  t.match(seq('~SEQ(i,1,3'), /no closing/);
  t.match(seq('~SEQ(,1,3)'), /Invalid ~SEQ/);
  t.match(seq('~SEQ(i)'), /Invalid ~SEQ/);
  t.match(seq('~SEQ(1i,1,3)'), /not a parameter name/);
  t.match(seq('~SEQ(i,1,a)'), /Invalid ~SEQ/);
  t.match(seq('~SEQ(i,1,2,3,4)'), /Invalid ~SEQ/);
  t.match(seq('~SEQ(i,1,0,3)'), /never gets/);
  t.match(seq('~SEQ(i,1,-1,3)'), /never gets/);
  t.match(seq('~SEQx(i,-1,3)'), /≥ 0/);
  t.match(seq('~SEQ(i,1,99999999999999999999)'), /out of range/);
});

t.test('~LST forms from keepalived.conf(5)', async (t) => {
  const lst = (s: string) => values(parseLst(s));
  t.same(lst('~LST(IP, 1, 2, 3) x'), [['IP=1'], ['IP=2'], ['IP=3']]);
  t.same(lst('~LST({IP, IP1}, {10,1},{20,4},{5,6},{12,8}) 192.168.${IP}.${IP1}'), [
    ['IP=10', 'IP1=1'],
    ['IP=20', 'IP1=4'],
    ['IP=5', 'IP1=6'],
    ['IP=12', 'IP1=8'],
  ]);
  t.same(lst('~LST({a,b},{1},2)'), [['a=1', 'b='], ['a=2', 'b=']], 'missing values are empty');
  const g = parseLst('~LST(IP, 1)  ~SEQ(x,1,2) y');
  t.equal('generator' in g && g.generator.text, '~SEQ(x,1,2) y');
  t.match(lst('~LST IP,1'), /Invalid ~LST/);
  t.match(lst('~LST(IP)'), /Invalid ~LST/);
  t.match(lst('~LST(IP, 1'), /Invalid ~LST/);
  t.match(lst('~LST({a},{1,2})'), /more values than variables/);
  t.match(lst('~LST(9a, 1)'), /not a parameter name/);
});
