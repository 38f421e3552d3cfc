import t from 'tap';
import { RANDOM_PAYLOAD, udpPayload, udpReply, udpSilence } from '../../../../src/health/checkers/udp.js';
import { conn, udpCheck } from '../../../../src/testing/checkers.js';

const c = conn('127.0.0.1', 9);

t.test('payload: configured bytes, else 32 random ones', async (t) => {
  t.same([...udpPayload(udpCheck(c, { payload: [1, 2, 3] }), () => 0)], [1, 2, 3]);
  let n = 0;
  const p = udpPayload(udpCheck(c), () => ++n * 0x01010101);
  t.equal(p.length, RANDOM_PAYLOAD);
  t.same([...p.subarray(0, 8)], [1, 1, 1, 1, 2, 2, 2, 2]);
});

t.test('reply data with X wildcards and length bounds', async (t) => {
  const check = udpCheck(c, { requireReply: true, replyData: [0x41, 0x00, 0x43], replyMask: [0, 0xff, 0x0f], minReplyLength: 2, maxReplyLength: 10 });
  t.match(udpReply(check, Buffer.from('A?C')), { up: true });
  t.match(udpReply(check, Buffer.from([0x41, 0x99, 0x4f])), { up: true }, 'the low nibble of byte 2 is X');
  t.match(udpReply(check, Buffer.from([0x41, 0x99, 0x53])), { up: false, detail: /byte 2/ });
  t.match(udpReply(check, Buffer.from('B?C')), { up: false, detail: /byte 0/ });
  t.match(udpReply(check, Buffer.from('A')), { up: false, detail: /outside 2..10/ });
  t.match(udpReply(check, Buffer.from('A?C45678901')), { up: false, detail: /outside/ });
  t.match(udpReply(check, Buffer.from('A?')), { up: true }, 'only the bytes both have are compared');
});

t.test('without require_reply any reply, and silence, are success', async (t) => {
  const loose = udpCheck(c, { replyData: [1], replyMask: [0] });
  t.match(udpReply(loose, Buffer.from([2])), { up: true });
  t.match(udpSilence(loose), { up: true });
  t.match(udpSilence(udpCheck(c, { requireReply: true })), { up: false, reason: 'timeout' });
});
