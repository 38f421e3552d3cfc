import t from 'tap';
import { parseIpVsConn } from '../../../../src/planes/ipvs/proc-conn.js';

// Rows as ip_vs_conn_seq_show prints them ("%-3s %08X %04X %08X %04X %08X %04X %-11s %7u%s\n" for v4).
const TEXT = [
  'Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData',
  'TCP AC100005 C822 0A000001 0050 C0A8010A 0050 ESTABLISHED     899',
  'UDP AC100005 9C40 0A000002 0035 C0A80114 0035 UDP               7',
  'IP  AC100000 0000 00000007 0000 C0A8011E 0000 NONE            359',
  'TCP 2001:0db8:0000:0000:0000:0000:0000:0005 C822 2001:0db8:0000:0000:0000:0000:0000:0001 01BB 2001:0db8:0000:0000:0000:0000:0000:0010 01BB SYN_RECV         59',
  'UDP AC100005 13C4 0A000003 13C4 C0A80115 13C4 UDP             179 sip 1234@example',
  'TCP ZZZZ 0050',
  '',
].join('\n');

t.test('parses v4, v6, templates and persistence-engine rows', async (t) => {
  const { entries, bad } = parseIpVsConn(TEXT);
  t.same(entries[0], { proto: 'TCP', expires: 899, state: 'ESTABLISHED', client: '172.16.0.5:51234', virtual: '10.0.0.1:80', dest: '192.168.1.10:80' });
  t.same(entries[1], { proto: 'UDP', expires: 7, state: 'UDP', client: '172.16.0.5:40000', virtual: '10.0.0.2:53', dest: '192.168.1.20:53' });
  t.same(entries[2], { proto: 'IP', expires: 359, state: 'NONE', client: '172.16.0.0:0', virtual: '0.0.0.7:0', dest: '192.168.1.30:0' });
  t.same(entries[3], { proto: 'TCP', expires: 59, state: 'SYN_RECV', client: '[2001:db8::5]:51234', virtual: '[2001:db8::1]:443', dest: '[2001:db8::10]:443' });
  t.same(entries[4]?.peName, 'sip');
  t.same(entries[4]?.peData, '1234@example');
  t.same(bad, ['TCP ZZZZ 0050'], 'the malformed row is reported, not guessed');
});
