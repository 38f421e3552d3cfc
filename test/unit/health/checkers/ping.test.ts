import t from 'tap';
import { echoRequest, echoVerdict, ICMP_BUFSIZE, icmpOf, inetChecksum } from '../../../../src/health/checkers/ping.js';

const payload = new Uint8Array(ICMP_BUFSIZE).fill(0xab);

t.test('echo requests as check_ping.c sends them', async (t) => {
  const r4 = echoRequest(4, 0x1234, 7, payload);
  t.equal(r4.length, 8 + 128);
  t.same([...r4.subarray(0, 1)], [8], 'ICMP echo request');
  t.equal(inetChecksum(r4), 0, 'the RFC 1071 checksum verifies');
  t.equal(Buffer.from(r4).readUInt16BE(4), 0x1234);
  t.equal(Buffer.from(r4).readUInt16BE(6), 7);
  const r6 = echoRequest(6, 1, 2, payload);
  t.equal(r6[0], 128, 'ICMPv6 echo request');
  t.equal(Buffer.from(r6).readUInt16BE(2), 0, 'the kernel fills in the ICMPv6 checksum');
});

function reply(af: 4 | 6, id: number, seq: number): Uint8Array {
  const r = echoRequest(af, id, seq, payload);
  r[0] = af === 4 ? 0 : 129;
  return r;
}

t.test('which messages decide', async (t) => {
  t.match(echoVerdict(4, reply(4, 5, 9), 5, 9), { up: true });
  t.match(echoVerdict(6, reply(6, 5, 9), 5, 9), { up: true });
  t.equal(echoVerdict(4, reply(4, 6, 9), 5, 9), null, 'another pinger\'s reply');
  t.equal(echoVerdict(4, reply(4, 5, 8), 5, 9), null, 'a late reply to an earlier attempt');
  t.equal(echoVerdict(4, echoRequest(4, 5, 9, payload), 5, 9), null, 'our own request seen on loopback');
  t.equal(echoVerdict(4, new Uint8Array(4), 5, 9), null, 'too short');
  // Destination unreachable quoting the IPv4 header (20 bytes) and our echo.
  const ip = new Uint8Array(20);
  ip[0] = 0x45;
  const unreach = Buffer.concat([Buffer.from([3, 1, 0, 0, 0, 0, 0, 0]), ip, echoRequest(4, 5, 9, payload).subarray(0, 8)]);
  t.match(echoVerdict(4, unreach, 5, 9), { up: false, reason: 'unreachable', detail: /destination unreachable \(code 1\)/ });
  t.equal(echoVerdict(4, unreach, 6, 9), null, 'an error about someone else\'s echo');
  const unreach6 = Buffer.concat([Buffer.from([1, 3, 0, 0, 0, 0, 0, 0]), new Uint8Array(40), echoRequest(6, 5, 9, payload).subarray(0, 8)]);
  t.match(echoVerdict(6, unreach6, 5, 9), { up: false, reason: 'unreachable' });
});

t.test('a raw IPv4 socket\'s IP header is skipped by its own length', async (t) => {
  const packet = Buffer.concat([Buffer.from([0x46]), Buffer.alloc(23), Buffer.from(reply(4, 1, 1))]);
  t.same([...icmpOf(4, packet).subarray(0, 1)], [0]);
  t.equal(icmpOf(6, packet), packet);
});
