/** The C library behaviour ipvsadm inherits: strtol, atoi, inet_aton, and popt's scanning. */
import t from 'tap';
import { atoi, inetAton, stringToNumber, strtolWhole } from '../../../src/cli/args/clib.js';
import { Popt, type PoptEvent } from '../../../src/cli/args/popt.js';
import { parseService } from '../../../src/cli/args/values.js';

t.test('strtol over the whole string', async (t) => {
  t.equal(strtolWhole('42'), 42);
  t.equal(strtolWhole(' +42'), 42, 'leading blanks and sign');
  t.equal(strtolWhole('-0'), 0);
  t.equal(strtolWhole('42 '), null, 'trailing junk');
  t.equal(strtolWhole(''), null);
  t.equal(strtolWhole('0x10'), null, 'base 10 only');
  t.equal(strtolWhole('9223372036854775808'), null, 'ERANGE');
  t.equal(stringToNumber('65535', 0, 65535), 65535);
  t.equal(stringToNumber('65536', 0, 65535), null);
  t.equal(atoi('64abc'), 64);
  t.equal(atoi('abc'), 0);
  t.equal(atoi(' -3'), -3);
});

t.test('inet_aton', async (t) => {
  const v = (s: string) => { const n = inetAton(s); return n === null ? null : [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'); };
  t.equal(v('10.0.0.1'), '10.0.0.1');
  t.equal(v('10.1'), '10.0.0.1', 'a.b: b fills three bytes');
  t.equal(v('10.1.2'), '10.1.0.2');
  t.equal(v('167772161'), '10.0.0.1', 'one number');
  t.equal(v('0x0a.010.0.1'), '10.8.0.1', 'hex and octal parts');
  t.equal(v('255.255.255.255'), '255.255.255.255');
  t.equal(v('1.2.3.4 trailing'), '1.2.3.4', 'glibc ignores what follows a blank');
  for (const bad of ['', '256.0.0.1', '1.2.3.4.5', '1..2', '1.2.3.', '08', '0x', 'a.b.c.d', '1.2.65536', '4294967296', '-1']) t.equal(inetAton(bad), null, JSON.stringify(bad));
});

t.test('parse_service', async (t) => {
  t.same(parseService('10.0.0.1:80', 6), { addr: { af: 4, text: '10.0.0.1' }, port: 80 });
  t.same(parseService('10.0.0.1', 6), { addr: { af: 4, text: '10.0.0.1' }, port: null });
  t.same(parseService('[2001:DB8::1]:443', 6), { addr: { af: 6, text: '2001:db8::1' }, port: 443 });
  t.same(parseService('2001:db8::1', 6), { addr: { af: 6, text: '2001:db8::1' }, port: null }, 'a bare v6 address has no port');
  t.same(parseService('10.0.0.1:https', 17), { addr: { af: 4, text: '10.0.0.1' }, port: 443 });
  t.equal(parseService('10.0.0.1:ssh', 17), null, 'ssh is tcp only');
  t.equal(parseService('10.0.0.1:http', 0), null, 'no protocol, no names');
  t.equal(parseService('fe80::1%eth0', 6), null, 'no zone ids (inet_pton)');
  t.equal(parseService('[::1]x80', 6), null);
  t.equal(parseService('', 6), null);
});

function scan(argv: string[]): string[] {
  const p = new Popt(['prog', ...argv]);
  const out: string[] = [];
  for (let e: PoptEvent = p.nextOpt(); e.kind !== 'end'; e = p.nextOpt()) {
    if (e.kind === 'error') { out.push(`!${p.badOption()}: ${e.error}`); break; }
    out.push(e.value === null ? e.def.tag : `${e.def.tag}=${e.value}`);
  }
  for (let a = p.getArg(); a !== null; a = p.getArg()) out.push(`arg:${a}`);
  return out;
}

t.test('popt scanning', async (t) => {
  t.same(scan(['-Lnc']), ['L', 'n', 'c'], 'clusters');
  t.same(scan(['-Lnt10.0.0.1:80']), ['L', 'n', 't=10.0.0.1:80'], 'a value ends a cluster');
  t.same(scan(['-t=1.2.3.4', '--tcp-service=5.6.7.8', '--tcp-service', '-n']), ['t=1.2.3.4', 't=5.6.7.8', 't=-n'], 'required values take the next word, even a dash');
  t.same(scan(['-p', '-n', '-p', '30', '-p']), ['p', 'n', 'p=30', 'p'], 'optional values never take a dash word');
  t.same(scan(['--list', '-l']), ['L', 'l']);
  t.same(scan(['a', '-n', '--', '-x', 'b']), ['n', 'arg:a', 'arg:-x', 'arg:b'], 'leftovers, and -- ends options');
  t.same(scan(['-', '-n']), ['n', 'arg:-']);
  t.same(scan(['-n=']), ['n', '!-n=: unknown option'], "popt skips one '=' after a flag and then looks up an empty letter");
  t.same(scan(['-n==']), ['!-n==: option does not take an argument'], 'a second = is a value for a flag');
  t.same(scan(['-n=1']), ['n', '!-n=1: unknown option'], "…or finds '1'");
  t.same(scan(['--tcp']), ['!--tcp: unknown option'], 'no abbreviations');
  t.same(scan(['-n', '-I', '5']), ['n', '!-I: unknown option'], '--syncid has no short form');
  t.same(scan(['-s']), ['!-s: missing argument']);
});
