import t from 'tap';
import { Dir, FlowKey, TcpFlag, TcpState, DEFAULT_TCP_TIMEOUTS_S } from '../../../../src/dataplane/conntrack/index.js';
import { TableError } from '../../../../src/model/errors.js';
import { harness } from './fixtures/harness.js';

const tcp = (i: number) => new FlowKey().setV4(6, 0x0a000000 + i, 40000 + i, 0xc0a80001, 80);
const udp6 = (i: number) => new FlowKey().setV6(17, [0x20010db8, 0, 0, i], 5353, [0x20010db8, 0, 0, 0xffff], 53);

t.test('every TCP state expires after its default timeout, to the millisecond', async (t) => {
  const start = 9_000_000_000; // past 2^32 ms: the wheel works modulo 2^32
  const h = harness({ now: start });
  const refs = DEFAULT_TCP_TIMEOUTS_S.map((_, s) => {
    const r = h.table.open(tcp(s), 1, 0, start);
    h.table.setState(r, s as TcpState, start);
    return r;
  });
  for (const secs of [...new Set(DEFAULT_TCP_TIMEOUTS_S)].sort((x, y) => x - y)) {
    const states = [...DEFAULT_TCP_TIMEOUTS_S.keys()].filter((s) => DEFAULT_TCP_TIMEOUTS_S[s] === secs);
    h.table.expire(start + secs * 1000 - 1);
    t.ok(states.every((s) => h.table.lookup(tcp(s)) >= 0), `states ${states} alive at ${secs} s - 1 ms`);
    h.table.expire(start + secs * 1000);
    t.ok(states.every((s) => h.table.lookup(tcp(s)) < 0), `states ${states} gone at ${secs} s`);
  }
  t.equal(refs.length, 11);
  t.same(DEFAULT_TCP_TIMEOUTS_S, [2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120]);
});

t.test('new entries live 3 s until their first packet; each packet re-arms', async (t) => {
  const h = harness();
  const r = h.table.open(tcp(1), 1, 0, 1000);
  h.table.expire(3999);
  t.not(h.table.lookup(tcp(1)), -1);
  h.table.packet(r, Dir.INPUT, TcpFlag.SYN, 3999); // SYN_RECV: 60 s
  h.table.packet(r, Dir.INPUT, TcpFlag.ACK, 50_000); // ESTABLISHED: 900 s from 50 s
  h.table.expire(949_999);
  t.not(h.table.lookup(tcp(1)), -1);
  h.table.packet(r, Dir.INPUT, TcpFlag.RST, 949_999); // CLOSE: 10 s, earlier than the old expiry
  h.table.expire(959_998);
  t.not(h.table.lookup(tcp(1)), -1);
  h.table.expire(959_999);
  t.equal(h.table.lookup(tcp(1)), -1);
});

t.test('--set tcp tcpfin udp: 0 keeps, applies from the next packet, validated', async (t) => {
  const h = harness();
  t.same(h.table.timeouts(), { tcp: 900, tcpFin: 120, udp: 300 });
  const before = h.table.open(tcp(1), 1, 0, 0);
  h.table.setState(before, TcpState.ESTABLISHED, 0);
  h.table.setTimeouts({ tcp: 100, tcpFin: 0, udp: 20 });
  t.same(h.table.timeouts(), { tcp: 100, tcpFin: 120, udp: 20 });
  const u = h.table.open(udp6(1), 1, 0, 0);
  h.table.packet(u, Dir.INPUT, 0, 0);
  h.table.touch(before, 0); // a packet without a state change keeps cp->timeout
  h.table.expire(20_000);
  t.equal(h.table.lookup(udp6(1)), -1, 'udp 20 s');
  t.not(h.table.lookup(tcp(1)), -1, 'established entry keeps its 900 s');
  h.table.packet(before, Dir.INPUT, TcpFlag.ACK, 20_000); // set_tcp_state reloads the table value
  h.table.expire(120_000);
  t.equal(h.table.lookup(tcp(1)), -1, 'now 100 s');
  t.throws(() => h.table.setTimeouts({ tcp: -1, tcpFin: 0, udp: 0 }), TableError);
  t.throws(() => h.table.setTimeouts({ tcp: 0, tcpFin: 2147484, udp: 0 }), TableError);
  t.same(h.table.timeouts(), { tcp: 100, tcpFin: 120, udp: 20 }, 'rejected set changes nothing');
});

t.test('DR/TUN entries use the input-only rows until a reply is seen', async (t) => {
  const h = harness({ secureTcp: true });
  const r = h.table.open(tcp(1), 1, 0, 0, true);
  h.table.packet(r, Dir.INPUT, TcpFlag.SYN, 0);
  t.equal(h.table.state(r), TcpState.SYNACK, 'tcp_states_dos INPUT-ONLY syn on NONE');
  h.table.packet(r, Dir.OUTPUT, TcpFlag.SYN | TcpFlag.ACK, 0);
  h.table.packet(r, Dir.INPUT, TcpFlag.FIN, 0);
  t.equal(h.table.state(r), TcpState.SYNACK, 'INPUT row now: fin on SYNACK stays SYNACK in the dos table');
  h.table.setSecureTcp(false);
  h.table.packet(r, Dir.INPUT, TcpFlag.ACK, 0);
  t.equal(h.table.state(r), TcpState.ESTABLISHED);
});

t.test('a long idle gap is skipped without stepping every millisecond', async (t) => {
  const h = harness();
  const r = h.table.open(tcp(1), 1, 0, 0);
  h.table.setState(r, TcpState.ESTABLISHED, 0);
  const t0 = performance.now();
  t.equal(h.table.expire(30 * 24 * 3600 * 1000), 1);
  t.ok(performance.now() - t0 < 200, 'fast');
});
