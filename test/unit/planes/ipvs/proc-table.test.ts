import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parseIpVs, readIpVs, type ProcIpVs, type ProcRange } from '../../../../src/planes/ipvs/proc-table.js';
import type { DestEntry } from '../../../../src/model/table.js';

// As ip_vs_info_seq_show prints them: v4 "%s  %08X:%04X %s %s" (+ "ops "), v6 "%s  [%pI6]:%04X %s ",
// fwmark "FWM  %08X %s %s", then "persistent %d %08X" or a newline; real servers
// "  -> %08X:%04X      %-7s %-6d %-10d %-10d".
const V6 = '2001:0db8:0000:0000:0000:0000:0000';
const TEXT = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port Forward Weight ActiveConn InActConn',
  'TCP  C6120001:0050 wlc  ',
  '  -> C6130002:1F90      Masq    3      12         40        ',
  '  -> C6130001:1F90      Route   0      0          7         ',
  'UDP  C6120002:0035 rr ops persistent 300 FFFFFF00',
  '  -> C6130003:0035      Tunnel  1      0          0         ',
  `TCP  [${V6}:0001]:01BB sed persistent 1800 00000040`,
  `  -> [${V6}:0011]:01BB      Local   5      1          2         `,
  'FWM  00000007 mh ',
  '  -> C6130006:0000      Route   5      0          0         ',
  'FWM  00000007 rr ',
  `  -> [${V6}:0013]:0000      Route   1      0          0         `,
  'SCTP  C6120004:0F1C fo ',
  'TCP  C6120009:0050 rr ',
  '  -> C613000A:0050      Masq    -1     0          0         ',
  '  -> C613000B:0050      Masq    1      0          0         ',
  'XYZ  C6120010:0050 rr ',
  '  -> C6130010:0050      Masq    1      0          0         ',
  '',
].join('\n');

/** A service's real servers as snapshot entries; undefined for a service /proc does not offer. */
const destsOf = (p: ProcIpVs, r: ProcRange | undefined): DestEntry[] | undefined => r && p.dests.entries(r.first, r.end);
const byKey = (p: ProcIpVs, key: string): DestEntry[] | undefined => destsOf(p, p.byKey.get(key));

t.test('real servers by service key, in the kernel\'s order, from every kind of service line', async (t) => {
  const p = parseIpVs(TEXT);
  const brief = (d: DestEntry) => ({ addr: d.spec.addr, port: d.spec.port, fwd: d.spec.fwd, weight: d.spec.weight, active: d.activeConns, inact: d.inactConns });
  t.same(byKey(p, 'tcp:198.18.0.1:80')?.map(brief), [
    { addr: { af: 4, text: '198.19.0.2' }, port: 8080, fwd: 'masq', weight: 3, active: 12, inact: 40 },
    { addr: { af: 4, text: '198.19.0.1' }, port: 8080, fwd: 'route', weight: 0, active: 0, inact: 7 },
  ]);
  t.same(byKey(p, 'udp:198.18.0.2:53')?.map((d) => d.spec.fwd), ['tunnel'], 'ops and persistence flags do not disturb the line');
  t.same(byKey(p, 'tcp:[2001:db8::1]:443')?.map(brief), [{ addr: { af: 6, text: '2001:db8::11' }, port: 443, fwd: 'local', weight: 5, active: 1, inact: 2 }]);
  const d = byKey(p, 'tcp:198.18.0.1:80')![0]!;
  t.same([d.persistConns, d.stats.conns, d.rates.cps, d.spec.uThreshold, d.spec.lThreshold], [0, 0, 0, 0, 0], 'what /proc does not show is 0');
  t.same(byKey(p, 'sctp:198.18.0.4:3868'), [], 'a service without real servers is there, empty');
});

t.test('fwmark services are kept per mark, one list per service: /proc does not print their family', async (t) => {
  const p = parseIpVs(TEXT);
  const lists = p.byMark.get(7);
  t.equal(lists?.length, 2);
  t.same(lists?.map((l) => destsOf(p, l)?.map((d) => d.spec.addr.text)), [['198.19.0.6'], ['2001:db8::13']]);
});

t.test('a line that does not fit is reported and its service left out, never half-read', async (t) => {
  const p = parseIpVs(TEXT);
  t.notOk(p.byKey.has('tcp:198.18.0.9:80'), 'a service with a bad real-server line is not offered at all');
  t.same(p.bad, [
    '  -> C613000A:0050      Masq    -1     0          0         ',
    '  -> C613000B:0050      Masq    1      0          0         ',
    'XYZ  C6120010:0050 rr ',
    '  -> C6130010:0050      Masq    1      0          0         ',
  ]);
  t.equal(p.byKey.size, 4);
  t.same(parseIpVs('  -> C6130010:0050      Masq    1      0          0\nFWM  zz rr\n  -> C6130010:0050      Masq    1      0          0\n').bad.length, 3);
  t.same(parseIpVs('').byKey.size, 0);
});

t.test('tunnels are told apart without making entries; a dropped service leaves no real servers behind', async (t) => {
  const p = parseIpVs(TEXT);
  const tunnel = p.byKey.get('udp:198.18.0.2:53')!;
  const masq = p.byKey.get('tcp:198.18.0.1:80')!;
  t.equal(p.dests.anyTunnel(tunnel.first, tunnel.end), true);
  t.equal(p.dests.anyTunnel(masq.first, masq.end), false);
  // the dropped tcp:198.18.0.9:80 had one good real server before its bad one: it must not be counted
  t.equal(p.dests.count, 6, 'two, one, one, one and one, none of the dropped service');
});

t.test('real-server lines: the header, blanks, a seventh field, malformed addresses and counts', async (t) => {
  const svc = 'TCP  C6120001:0050 wlc\n';
  const one = (dest: string): DestEntry[] | undefined => byKey(parseIpVs(`${svc}${dest}\n`), 'tcp:198.18.0.1:80');
  t.same(one('  -> RemoteAddress:Port Forward Weight ActiveConn InActConn'), [], 'the header is not a real server');
  t.same(one('\t->\tc613000a:1f90 Masq 1 2 3\r')?.map((d) => [d.spec.addr.text, d.spec.port, d.activeConns, d.inactConns]),
    [['198.19.0.10', 8080, 2, 3]], 'tabs, a CR and lower-case hex');
  t.same(one('  -> C613000A:1F90 Masq 4294967295 0 0')?.[0]?.spec.weight, 4294967295);
  for (const bad of [
    '  -> C613000A:1F90 Masq 1 0 0 extra', '  -> C613000A:1F90 Masq 1 0', '  -> C613000A:1F9 Masq 1 0 0',
    '  -> C613000G:1F90 Masq 1 0 0', '  -> C613000A;1F90 Masq 1 0 0', '  -> C613000A:1F90 masq 1 0 0',
    '  -> C613000A:1F90 Masq 4294967296 0 0', '  -> C613000A:1F90 Masq 1 +0 0',
    `  -> [${V6}:0011:01BB Masq 1 0 0`, `  -> [${V6}-0011]:01BB Masq 1 0 0`, '  -> [2001:0db8:0000:0000:0000:0000:0000:001]:01BB Masq 1 0 0',
  ]) t.equal(one(bad), undefined, bad);
});

t.test('read in chunks of any size, the result is the same as of the whole text', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'proc-table-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'ip_vs');
  const summary = (p: ProcIpVs) => ({
    keys: [...p.byKey].map(([k, r]) => [k, destsOf(p, r)]),
    marks: [...p.byMark].map(([m, rs]) => [m, rs.map((r) => destsOf(p, r))]),
    bad: p.bad,
  });
  const whole = summary(parseIpVs(TEXT));
  writeFileSync(file, TEXT, 'latin1');
  for (const chunk of [1, 7, 61, 64, 4096]) t.same(summary(readIpVs(file, chunk)), whole, `chunks of ${chunk}`);
  writeFileSync(file, TEXT.slice(0, -1), 'latin1');
  t.same(summary(readIpVs(file, 16)), whole, 'a last line without a newline');
  t.throws(() => readIpVs(path.join(dir, 'missing')), { code: 'ENOENT' });
});
