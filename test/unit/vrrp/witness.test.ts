// The quorum witness's slot record and the pure promotion verdict (split-brain defence of issue 13).
import t from 'tap';
import { decodeSlot, encodeSlot, type WitnessRecord } from '../../../src/vrrp/witness-record.js';
import { WitnessWatch } from '../../../src/vrrp/witness-watch.js';

const rec = (o: Partial<WitnessRecord> = {}): WitnessRecord => ({ seq: 7, state: 'MASTER', priority: 150, vrid: 51, wallMs: 1_780_000_000_123.5, name: 'VI_1', ...o });

t.test('a slot record round-trips; empty, foreign, torn and cut slots are told apart', async (t) => {
  const b = encodeSlot(rec());
  t.equal(b.length, 512, 'one sector');
  t.same(decodeSlot(b), { ok: true, record: rec() });
  t.same(decodeSlot(new Uint8Array(512)), { ok: false, why: 'empty', detail: 'slot never written' });
  for (let i = 0; i < 60; i++) {
    const c = b.slice();
    c[i]! ^= 0x40;
    const d = decodeSlot(c);
    t.ok(!d.ok && d.why === 'corrupt', `byte ${i} flipped is refused`);
  }
  const foreign = b.slice();
  foreign[0] = 0;
  t.match(decodeSlot(foreign), { ok: false, why: 'corrupt', detail: /magic/ });
  t.match(decodeSlot(b.subarray(0, 40)), { ok: false, why: 'corrupt', detail: /shorter/ });
  const long = decodeSlot(encodeSlot(rec({ name: 'é'.repeat(40), seq: 0xffffffff + 2 })));
  t.ok(long.ok && long.record.name === 'é'.repeat(16) && long.record.seq === 1, 'a long name is cut at a character; seq wraps');
});

t.test('verdict: a fresh MASTER slot holds the promotion until it goes stale', async (t) => {
  const w = new WitnessWatch({ ownSlot: 1, timeoutMs: 300, intervalMs: 100 });
  t.same(w.verdict(0, 100), { allow: true }, 'nothing read: nothing blocks');
  w.observe(0, decodeSlot(encodeSlot(rec({ seq: 1 }))), 1000);
  t.match(w.verdict(1000, 100), { allow: false, reason: 'peer-master', retryAt: 1300 }, 'first sight counts as fresh');
  w.observe(0, decodeSlot(encodeSlot(rec({ seq: 2 }))), 1100);
  t.match(w.verdict(1150, 100), { allow: false, reason: 'peer-master', retryAt: 1400 });
  // The peer stops writing: the same sequence number read again does not refresh it.
  w.observe(0, decodeSlot(encodeSlot(rec({ seq: 2 }))), 1200);
  w.observe(0, decodeSlot(encodeSlot(rec({ seq: 2 }))), 1390);
  t.match(w.verdict(1399, 100), { allow: false, reason: 'peer-master' });
  t.same(w.verdict(1400, 100), { allow: true }, 'stale after timeout without a change');
});

t.test('verdict: BACKUP peers that outrank this director hold it; lower ones, FAULT and INIT do not', async (t) => {
  const at = (state: WitnessRecord['state'], priority: number, slot: number, own = 1) => {
    const w = new WitnessWatch({ ownSlot: own, timeoutMs: 300, intervalMs: 100 });
    w.observe(slot, decodeSlot(encodeSlot(rec({ state, priority }))), 0);
    return w.verdict(10, 100);
  };
  t.match(at('BACKUP', 150, 0), { allow: false, reason: 'peer-preferred' });
  t.same(at('BACKUP', 50, 0), { allow: true });
  t.match(at('BACKUP', 100, 0), { allow: false, reason: 'peer-preferred' }, 'a tie goes to the lower slot');
  t.same(at('BACKUP', 100, 2), { allow: true }, 'a tie goes to the lower slot (this one)');
  t.same(at('FAULT', 200, 0), { allow: true });
  t.same(at('INIT', 200, 0), { allow: true }, 'a cleanly stopped peer');
  t.match(at('MASTER', 1, 0), { allow: false, reason: 'peer-master' }, 'a MASTER blocks whatever its priority');
});

t.test('verdict: an unreadable or corrupt slot holds the promotion, an empty one does not', async (t) => {
  const w = new WitnessWatch({ ownSlot: 0, timeoutMs: 300, intervalMs: 100 });
  w.observe(1, null, 0, 'EIO');
  t.same(w.verdict(0, 100), { allow: false, reason: 'witness-unreadable', detail: 'slot 1: EIO', retryAt: 100 });
  const torn = encodeSlot(rec());
  torn[20]! ^= 1;
  w.observe(1, decodeSlot(torn), 50);
  t.match(w.verdict(50, 100), { allow: false, reason: 'witness-unreadable', detail: /checksum/ });
  w.observe(1, decodeSlot(new Uint8Array(512)), 60);
  t.same(w.verdict(60, 100), { allow: true });
});
