/** The pieces under the listings: ipvsadm's comparators with their int wrap, glibc's merge order, print_largenum. */
import t from 'tap';
import { cmpDests, cmpServices, glibcQsort } from '../../../src/cli/format/sort.js';
import { largenum } from '../../../src/cli/format/printf.js';
import { dest, fwm, spec, svc, tcp, udp } from './fixtures/tables.js';

t.test('the address difference wraps at 2^31, as `int r = ntohl(a) - ntohl(b)` does', async (t) => {
  const s = (a: string) => svc(spec(tcp(a, 80)));
  t.ok(cmpServices(s('10.0.0.1'), s('200.0.0.1')) > 0, '10.0.0.1 after 200.0.0.1');
  t.ok(cmpServices(s('200.0.0.1'), s('10.0.0.1')) < 0);
  t.ok(cmpServices(s('10.0.0.1'), s('127.0.0.1')) < 0, 'but before 127.0.0.1: the relation is not transitive');
  t.ok(cmpServices(s('127.0.0.1'), s('192.168.0.1')) < 0);
  t.ok(cmpServices(s('1.0.0.0'), s('100.0.0.0')) < 0, 'small differences compare normally');
  t.equal(cmpServices(s('10.0.0.1'), s('10.0.0.1')), 0);
  t.ok(cmpServices(svc(spec(tcp('10.0.0.1', 443))), s('10.0.0.1')) > 0, 'then by port');
  t.ok(cmpServices(svc(spec(udp('1.1.1.1', 1))), s('9.9.9.9')) > 0, 'protocol before address');
  t.ok(cmpServices(svc(spec(tcp('::1', 1))), s('255.255.255.255')) > 0, 'AF_INET before AF_INET6');
  t.ok(cmpServices(svc(spec(fwm(1))), s('255.255.255.255')) > 0, 'fwmark services after address services');
  t.ok(cmpServices(svc(spec(fwm(0x80000001))), s('1.2.3.4')) < 0, '…unless the fwmark difference wraps too');
  t.ok(cmpServices(svc(spec(tcp('2001:db8::1', 80))), svc(spec(tcp('2001:db8::2', 80)))) < 0, 'v6 word by word');
  t.ok(cmpServices(svc(spec(tcp('2001:db8::1', 80))), svc(spec(tcp('fe80::1', 80)))) > 0, '2001:: after fe80::, the first words differ by more than 2^31');
  t.ok(cmpServices(svc(spec(tcp('::1', 80))), svc(spec(tcp('a000::1', 80)))) > 0, 'v6 words wrap as well');
  t.ok(cmpDests(dest('10.1.0.1:80'), dest('200.0.0.9:80')) > 0, 'real servers use the same wrap');
  t.ok(cmpDests(dest('10.1.0.1:80'), dest('10.1.0.1:81')) < 0);
});

t.test('glibc merge order: split n/2, stable, left wins ties', async (t) => {
  const byTens = (a: number, b: number) => Math.floor(a / 10) - Math.floor(b / 10);
  t.same(glibcQsort([31, 12, 30, 11, 10, 32], byTens), [12, 11, 10, 31, 30, 32], 'stable');
  t.same(glibcQsort([], byTens), []);
  // a non-transitive order (a<b, b<c, c<a): the result is the merge sort's, not any "sorted" order
  const rank: Record<string, number> = { a: 0, b: 1, c: 2 };
  const cyclic = (x: string, y: string) => (x === y ? 0 : (rank[y]! - rank[x]! + 3) % 3 === 1 ? -1 : 1);
  t.same(glibcQsort(['c', 'b', 'a'], cyclic), ['c', 'a', 'b']);
  t.same(glibcQsort(['a', 'b', 'c', 'a'], cyclic), ['c', 'a', 'a', 'b']);
});

t.test('print_largenum', async (t) => {
  const cases: [number, string, string][] = [
    [0, '        0', '        0'],
    [99999999, ' 99999999', ' 99999999'],
    [100000000, '  100000K', ' 100000000'],
    [999999999, '  999999K', ' 999999999'],
    [1000000000, '    1000M', ' 1000000000'],
    [99999999999, '   99999M', ' 99999999999'],
    [100000000000, '     100G', ' 100000000000'],
    [99999999999999, '   99999G', ' 99999999999999'],
    [100000000000000, '     100T', ' 100000000000000'],
    [2 ** 53, '    9007T', ' 9007199254740992'],
    [1e21, '1000000000T', ' 1000000000000000000000'],
  ];
  for (const [n, scaled, exact] of cases) {
    t.equal(largenum(n, false), scaled, `${n}`);
    t.equal(largenum(n, true), exact, `${n} --exact`);
  }
});
