import t from 'tap';
import { parseIpVs, type ProcDest } from '../../../../src/dataplane/ipvs/proc-table.js';

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

t.test('real servers by service key, in the kernel\'s order, from every kind of service line', async (t) => {
  const p = parseIpVs(TEXT);
  const brief = (d: ProcDest) => ({ addr: d.spec.addr, port: d.spec.port, fwd: d.spec.fwd, weight: d.spec.weight, active: d.activeConns, inact: d.inactConns });
  t.same(p.byKey.get('tcp:198.18.0.1:80')?.map(brief), [
    { addr: { af: 4, text: '198.19.0.2' }, port: 8080, fwd: 'masq', weight: 3, active: 12, inact: 40 },
    { addr: { af: 4, text: '198.19.0.1' }, port: 8080, fwd: 'route', weight: 0, active: 0, inact: 7 },
  ]);
  t.same(p.byKey.get('udp:198.18.0.2:53')?.map((d) => d.spec.fwd), ['tunnel'], 'ops and persistence flags do not disturb the line');
  t.same(p.byKey.get('tcp:[2001:db8::1]:443')?.map(brief), [{ addr: { af: 6, text: '2001:db8::11' }, port: 443, fwd: 'local', weight: 5, active: 1, inact: 2 }]);
  const d = p.byKey.get('tcp:198.18.0.1:80')![0]!;
  t.same([d.persistConns, d.stats.conns, d.rates.cps, d.spec.uThreshold, d.spec.lThreshold], [0, 0, 0, 0, 0], 'what /proc does not show is 0');
  t.same(p.byKey.get('sctp:198.18.0.4:3868'), [], 'a service without real servers is there, empty');
});

t.test('fwmark services are kept per mark, one list per service: /proc does not print their family', async (t) => {
  const p = parseIpVs(TEXT);
  const lists = p.byMark.get(7);
  t.equal(lists?.length, 2);
  t.same(lists?.map((l) => l.map((d) => d.spec.addr.text)), [['198.19.0.6'], ['2001:db8::13']]);
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
