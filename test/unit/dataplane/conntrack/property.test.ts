import t from 'tap';
import { Dir, FlowKey, TcpState, DEFAULT_TCP_TIMEOUTS_S, tcpNextState, tcpStateActive } from '../../../../src/dataplane/conntrack/index.js';
import { harness, rng } from './fixtures/harness.js';

interface ModelEntry {
  dest: number;
  proto: number;
  state: number;
  exp: number;
  timeout: number;
  inactive: boolean;
  noOutput: boolean;
}

/** 48 keys: 3 clients × 2 ports × {TCP, UDP} × {v4, v6} × 2 virtual ports. */
function keyAt(i: number): FlowKey {
  const client = i % 3;
  const bits = (i / 3) | 0;
  const cport = 1000 + (bits & 1);
  const proto = bits & 2 ? 17 : 6;
  const vport = bits & 8 ? 81 : 80;
  return bits & 4
    ? new FlowKey().setV6(proto, [0x20010db8, 0, 0, client], cport, [0x20010db8, 0, 0, 0xff], vport)
    : new FlowKey().setV4(proto, 0x0a000000 + client, cport, 0xc0a80001, vport);
}
const KEYS = Array.from({ length: 48 }, (_, i) => keyAt(i));
const name = (k: FlowKey) => `${k.af}/${k.proto}/${k.c.join('.')}:${k.cport}/${k.vport}`;
t.equal(new Set(KEYS.map(name)).size, 48, 'distinct keys');

function run(seed: number, steps: number): string[] {
  const r = rng(seed);
  const h = harness({ capacity: 64, initialCapacity: 2, now: 1000 });
  const model = new Map<string, ModelEntry>();
  const problems: string[] = [];
  let now = 1000;
  const pick = () => KEYS[Math.floor(r() * KEYS.length)]!;
  for (let step = 0; step < steps && problems.length === 0; step++) {
    const k = pick();
    const m = model.get(name(k));
    const ref = h.table.lookup(k);
    const op = r();
    if (op < 0.25) {
      const dest = 1 + Math.floor(r() * 2);
      const noOutput = r() < 0.3;
      h.table.open(k, dest, 0, now, noOutput);
      if (!m) model.set(name(k), { dest, proto: k.proto, state: 0, exp: now + 3000, timeout: 3000, inactive: true, noOutput });
    } else if (op < 0.6 && m) {
      const dir = (r() < 0.5 ? Dir.INPUT : Dir.OUTPUT) as Dir;
      const flags = [0x02, 0x12, 0x10, 0x11, 0x01, 0x04, 0][Math.floor(r() * 7)]!;
      h.table.packet(ref, dir, flags, now);
      if (m.proto === 6) {
        let row: Dir = dir;
        if (m.noOutput) { if (dir === Dir.OUTPUT) m.noOutput = false; else row = Dir.INPUT_ONLY; }
        setModelState(m, tcpNextState(m.state, row, flags));
      } else {
        m.timeout = 300_000;
      }
      m.exp = now + m.timeout;
    } else if (op < 0.7 && m) {
      const s = Math.floor(r() * 11) as TcpState;
      h.table.setState(ref, s, now);
      if (m.proto === 6) setModelState(m, s);
      m.exp = now + m.timeout;
    } else if (op < 0.78 && m) {
      h.table.remove(ref);
      model.delete(name(k));
    } else {
      now += Math.floor(r() * r() * 400_000);
      h.table.expire(now);
      for (const [kk, e] of model) if (e.exp <= now) model.delete(kk);
    }
    problems.push(...compare(h, model, `seed ${seed} step ${step}`));
  }
  return problems;
}

function setModelState(m: ModelEntry, s: number): void {
  if (s !== m.state) m.inactive = !tcpStateActive(s, false);
  m.state = s;
  m.timeout = DEFAULT_TCP_TIMEOUTS_S[s]! * 1000;
}

function compare(h: ReturnType<typeof harness>, model: Map<string, ModelEntry>, at: string): string[] {
  const out: string[] = [];
  for (const k of KEYS) {
    const ref = h.table.lookup(k);
    const m = model.get(name(k));
    if ((ref >= 0) !== (m !== undefined)) { out.push(`${at}: ${name(k)} present=${ref >= 0} model=${m !== undefined}`); continue; }
    if (!m) continue;
    const got = [h.table.dest(ref), h.table.state(ref), h.table.isActive(ref), h.table.expiry(ref)];
    const want = [m.dest, m.state, !m.inactive, m.exp | 0];
    if (got.join() !== want.join()) out.push(`${at}: ${name(k)} got ${got} want ${want}`);
  }
  if (h.table.size !== model.size) out.push(`${at}: size ${h.table.size} vs ${model.size}`);
  const batch = new Int32Array(KEYS.length);
  h.table.lookupMany(KEYS, KEYS.length, batch);
  KEYS.forEach((k, i) => { if (batch[i] !== h.table.lookup(k)) out.push(`${at}: lookupMany ${name(k)} ${batch[i]}`); });
  for (const [id, d] of h.dests) {
    const mine = [...model.values()].filter((e) => e.dest === id);
    const want = [mine.filter((e) => !e.inactive).length, mine.filter((e) => e.inactive).length, 0];
    const got = [d.activeConns, d.inactConns, d.persistConns];
    if (got.join() !== want.join()) out.push(`${at}: dest ${id} counters ${got} want ${want}`);
  }
  return out;
}

t.test('table agrees with a Map model over random operation sequences', async (t) => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const problems = run(seed, 2500);
    t.same(problems.slice(0, 3), [], `seed ${seed}`);
  }
});

t.test('at a small capacity: bounded size, counters match the listed entries', async (t) => {
  const r = rng(99);
  const h = harness({ capacity: 10, now: 0 });
  let now = 0;
  let bad = 0;
  for (let step = 0; step < 4000; step++) {
    const k = KEYS[Math.floor(r() * KEYS.length)]!;
    const ref = h.table.lookup(k);
    if (ref < 0) h.table.open(k, 1 + (step & 1), 0, now);
    else h.table.packet(ref, Dir.INPUT, [0x02, 0x10, 0x01, 0x04][step & 3]!, now);
    if (step % 50 === 0) h.table.expire((now += 5_000));
    const rows = [...h.table.entries(now)];
    if (h.table.size > 10 || rows.length !== h.table.size) bad++;
    for (const [id, d] of h.dests) {
      const mine = rows.filter((v) => v.destId === id).map((v) => h.table.isActive(v.ref));
      if (d.activeConns !== mine.filter(Boolean).length || d.inactConns !== mine.filter((a) => !a).length) bad++;
    }
  }
  t.equal(bad, 0);
  t.ok(h.table.stats.evictions > 0, `evictions ${h.table.stats.evictions}`);
  t.equal(h.table.stats.inserts - h.table.stats.evictions - h.table.stats.expirations, h.table.size);
});
