import t from 'tap';
import { FlowStore } from '../../../../src/dataplane/conntrack/flow-store.js';
import { FlowKey } from '../../../../src/dataplane/conntrack/flow-key.js';
import { M_IN_USE, W_META } from '../../../../src/dataplane/conntrack/layout.js';
import { rng } from './fixtures/harness.js';

function put(s: FlowStore, k: FlowKey): number {
  const id = s.alloc();
  s.writeKey(id, k);
  s.data[id * s.stride + W_META] |= M_IN_USE;
  s.hashInsert(id);
  return id;
}

function del(s: FlowStore, id: number): void {
  s.hashDelete(id);
  s.free(id);
}

const v4 = (i: number) => new FlowKey().setV4(6, 0x0a000000 + i, 1000 + i, 0xc0a80001, 80);
const v6 = (i: number) => new FlowKey().setV6(17, [0x20010db8, 0, 0, i], 5000, [0x20010db8, 0, 1, 1], 53);

t.test('insert, lookup and delete, v4 and v6 keys kept apart', async (t) => {
  const s4 = new FlowStore(1, 64, 64, 1);
  const s6 = new FlowStore(4, 64, 64, 1);
  t.equal(s4.stride * 4, 44, 'v4 row is 44 bytes');
  t.equal(s6.stride * 4, 68, 'v6 row is 68 bytes');
  const a = put(s4, v4(1));
  const b = put(s6, v6(1));
  t.equal(s4.find(v4(1)), a);
  t.equal(s6.find(v6(1)), b);
  t.equal(s4.find(v4(2)), -1);
  t.equal(s6.find(v6(2)), -1);
  // every key field takes part
  t.equal(s4.find(new FlowKey().setV4(17, 0x0a000001, 1001, 0xc0a80001, 80)), -1, 'protocol');
  t.equal(s4.find(new FlowKey().setV4(6, 0x0a000001, 1002, 0xc0a80001, 80)), -1, 'cport');
  t.equal(s4.find(new FlowKey().setV4(6, 0x0a000001, 1001, 0xc0a80002, 80)), -1, 'vaddr');
  t.equal(s4.find(new FlowKey().setV4(6, 0x0a000001, 1001, 0xc0a80001, 81)), -1, 'vport');
  t.equal(s6.find(new FlowKey().setV6(17, [0x20010db8, 0, 1, 1], 5000, [0x20010db8, 0, 1, 1], 53)), -1, 'v6 word 2');
  del(s4, a);
  t.equal(s4.find(v4(1)), -1);
  t.equal(s4.occupiedCells(), 0);
  t.equal(s4.live, 0);
  t.equal(s4.alloc(), a, 'freed row is reused');
});

t.test('colliding keys: a cluster survives deletes by backward shift, no tombstones', async (t) => {
  const s = new FlowStore(1, 12, 12, 7); // index of 16 cells
  // find 6 keys with the same home cell and 4 homed right after it
  const same: FlowKey[] = [];
  const next: FlowKey[] = [];
  const h0 = s.home(v4(0));
  for (let i = 0; same.length < 6 || next.length < 4; i++) {
    const k = v4(i);
    const h = s.home(k);
    if (h === h0 && same.length < 6) same.push(k);
    else if (h === ((h0 + 1) & 15) && next.length < 4) next.push(k);
  }
  const ids = new Map<FlowKey, number>();
  for (const k of [...same, ...next]) ids.set(k, put(s, k));
  t.equal(s.occupiedCells(), 10);
  // delete from the front of the cluster: everything after must shift back and stay findable
  for (const k of [same[0]!, next[0]!, same[3]!, same[1]!]) {
    del(s, ids.get(k)!);
    ids.delete(k);
    for (const [kk, id] of ids) t.equal(s.find(kk), id);
    t.equal(s.find(k), -1);
    t.equal(s.occupiedCells(), ids.size);
  }
  for (const id of ids.values()) del(s, id);
  t.equal(s.occupiedCells(), 0, 'empty index after deleting all');
});

t.test('random inserts and deletes at full load, with growth', async (t) => {
  const r = rng(42);
  const s = new FlowStore(1, 3000, 16, 99);
  const live = new Map<number, number>();
  let bad = 0;
  for (let step = 0; step < 20000; step++) {
    const i = Math.floor(r() * 4000);
    const k = v4(i);
    const id = s.find(k);
    if ((id >= 0) !== live.has(i) || (id >= 0 && live.get(i) !== id)) bad++;
    if (id >= 0 && r() < 0.5) { del(s, id); live.delete(i); }
    else if (id < 0 && live.size < 3000) live.set(i, put(s, k));
  }
  t.equal(bad, 0, 'find agrees with the model at every step');
  t.equal(s.live, live.size);
  t.equal(s.occupiedCells(), live.size);
  for (const [i, id] of live) if (s.find(v4(i)) !== id) bad++;
  t.equal(bad, 0);
  t.ok(s.bytes <= 3000 * 44 + 4096 * 4, `memory ${s.bytes} bytes`);
});

t.test('alloc stops at maxRows', async (t) => {
  const s = new FlowStore(1, 3, 1, 0);
  t.same([s.alloc(), s.alloc(), s.alloc(), s.alloc()], [0, 1, 2, -1]);
  t.throws(() => new FlowStore(1, 0, 1, 0), RangeError);
});

t.test('findMany agrees with find, across families, misses and collisions', async (t) => {
  const s4 = new FlowStore(1, 12, 12, 5); // 16 cells: crowded, many first-cell misses
  const s6 = new FlowStore(4, 12, 12, 5);
  const keys = [...Array.from({ length: 16 }, (_, i) => v4(i)), ...Array.from({ length: 8 }, (_, i) => v6(i))];
  keys.forEach((k, i) => { if (i % 4 !== 3) put(k.af === 4 ? s4 : s6, k); });
  const out = new Int32Array(keys.length).fill(-7);
  s4.findMany(keys, keys.length, out);
  s6.findMany(keys, keys.length, out);
  t.same(Array.from(out), keys.map((k) => (k.af === 4 ? s4 : s6).find(k)));
  t.equal(Array.from(out).filter((x) => x >= 0).length, 12 + 6);
});
