import t from 'tap';
import { dnsQuery, dnsReply } from '../../../../src/health/checkers/dns.js';

const hex = (u: Uint8Array | string): string => (typeof u === 'string' ? u : Buffer.from(u).toString('hex'));

t.test('the query keepalived builds: id, RD, one question, class IN', async (t) => {
  t.equal(hex(dnsQuery(0x1234, 'SOA', '.')), '123401000001000000000000' + '00' + '0006' + '0001', 'root is one zero byte');
  t.equal(hex(dnsQuery(0xbeef, 'A', 'example.com')), 'beef01000001000000000000' + '076578616d706c6503636f6d00' + '0001' + '0001');
  t.equal(hex(dnsQuery(1, 'AAAA', 'example.com.')), hex(dnsQuery(1, 'AAAA', 'example.com')), 'a trailing dot is the same name');
  t.equal(hex(dnsQuery(0x12345, 'MX', 'a')).slice(0, 4), '2345', 'the id is 16 bits');
  t.match(dnsQuery(1, 'A', `${'x'.repeat(64)}.com`), /longer than 63/);
  t.match(dnsQuery(1, 'A', Array(60).fill('abcd').join('.')), /longer than 255/);
});

function reply(id: number, flags: number, an = 1): Buffer {
  const r = Buffer.alloc(12);
  r.writeUInt16BE(id, 0);
  r.writeUInt16BE(flags, 2);
  r.writeUInt16BE(an, 6);
  return r;
}

t.test('which replies count (check_dns.c dns_recv_thread)', async (t) => {
  t.match(dnsReply(7, reply(7, 0x8180)), { up: true });
  t.match(dnsReply(7, reply(7, 0x8180, 0)), { up: true }, 'keepalived does not look at the answer count');
  t.match(dnsReply(7, reply(7, 0x8183)), { up: false, reason: 'protocol', detail: /rcode 3/ });
  t.equal(dnsReply(7, reply(8, 0x8180)), null, 'a wrong id is ignored');
  t.equal(dnsReply(7, reply(7, 0x0100)), null, 'a query (QR clear) is ignored');
  t.equal(dnsReply(7, reply(7, 0x8180).subarray(0, 11)), null, 'shorter than a header is ignored');
});
