import t from 'tap';
import { Dir, TcpFlag, TcpState, tcpNextState, tcpStateActive, stateName, protoName } from '../../../../src/dataplane/conntrack/index.js';

const { SYN, ACK, FIN, RST } = TcpFlag;
const S = TcpState;

function walk(start: number, steps: [Dir, number][], secure = false): number[] {
  const out: number[] = [];
  let s = start;
  for (const [d, f] of steps) { s = tcpNextState(s, d, f, secure); out.push(s); }
  return out;
}

t.test('NAT handshake and close through the director (ip_vs_proto_tcp.c tcp_states)', async (t) => {
  t.same(walk(S.NONE, [
    [Dir.INPUT, SYN], [Dir.OUTPUT, SYN | ACK], [Dir.INPUT, ACK],
    [Dir.INPUT, FIN | ACK], [Dir.OUTPUT, ACK], [Dir.OUTPUT, FIN | ACK], [Dir.INPUT, ACK],
  ]), [S.SYN_RECV, S.SYN_RECV, S.ESTABLISHED, S.CLOSE_WAIT, S.CLOSE_WAIT, S.TIME_WAIT, S.TIME_WAIT]);
  t.same(walk(S.ESTABLISHED, [[Dir.OUTPUT, FIN], [Dir.INPUT, FIN], [Dir.INPUT, ACK]]), [S.FIN_WAIT, S.TIME_WAIT, S.TIME_WAIT]);
});

t.test('DR/TUN: input-only rows', async (t) => {
  t.same(walk(S.NONE, [[Dir.INPUT_ONLY, SYN], [Dir.INPUT_ONLY, ACK], [Dir.INPUT_ONLY, FIN | ACK], [Dir.INPUT_ONLY, ACK]]),
    [S.SYN_RECV, S.ESTABLISHED, S.FIN_WAIT, S.FIN_WAIT]);
  t.equal(tcpNextState(S.SYNACK, Dir.INPUT_ONLY, RST), S.CLOSE);
  t.equal(tcpNextState(S.SYNACK, Dir.INPUT, RST), S.SYN_RECV);
});

t.test('flag priority RST > SYN > FIN > ACK; no flag → CLOSE', async (t) => {
  t.equal(tcpNextState(S.ESTABLISHED, Dir.INPUT, SYN | RST), S.CLOSE);
  t.equal(tcpNextState(S.NONE, Dir.INPUT, SYN | FIN), S.SYN_RECV);
  t.equal(tcpNextState(S.ESTABLISHED, Dir.INPUT, FIN | ACK), S.CLOSE_WAIT);
  t.equal(tcpNextState(S.ESTABLISHED, Dir.INPUT, 0), S.CLOSE);
  t.equal(tcpNextState(S.ESTABLISHED, Dir.INPUT, 0x08 /* PSH */), S.CLOSE);
});

t.test('selected cells of every table', async (t) => {
  t.equal(tcpNextState(S.NONE, Dir.INPUT, ACK), S.ESTABLISHED, 'input ack on NONE (current kernels)');
  t.equal(tcpNextState(S.LAST_ACK, Dir.INPUT, ACK), S.CLOSE);
  t.equal(tcpNextState(S.LISTEN, Dir.OUTPUT, ACK), S.ESTABLISHED);
  t.equal(tcpNextState(S.TIME_WAIT, Dir.OUTPUT, RST), S.TIME_WAIT);
  t.equal(tcpNextState(S.SYN_SENT, Dir.OUTPUT, RST), S.SYN_SENT);
  t.equal(tcpNextState(S.CLOSE_WAIT, Dir.OUTPUT, FIN), S.TIME_WAIT);
  t.equal(tcpNextState(S.SYN_RECV, Dir.INPUT, RST), S.SYN_RECV);
  // tcp_states_dos (secure_tcp)
  t.equal(tcpNextState(S.SYN_RECV, Dir.OUTPUT, SYN, true), S.SYNACK);
  t.equal(tcpNextState(S.SYN_RECV, Dir.INPUT, ACK, true), S.SYN_RECV);
  t.equal(tcpNextState(S.SYNACK, Dir.INPUT, FIN, true), S.SYNACK);
  t.equal(tcpNextState(S.NONE, Dir.INPUT_ONLY, SYN, true), S.SYNACK);
  t.equal(tcpNextState(S.NONE, Dir.INPUT_ONLY, SYN, false), S.SYN_RECV);
});

t.test('active states and names', async (t) => {
  const active = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((s) => tcpStateActive(s, false));
  t.same(active, [S.ESTABLISHED, S.SYN_SENT, S.SYN_RECV, S.SYNACK], 'tcp_state_active_table (4.8+)');
  t.same([0, 1, 2, 3, 10].filter((s) => tcpStateActive(s, true)), [S.ESTABLISHED], 'before 4.8');
  t.equal(stateName(6, S.CLOSE_WAIT, false), 'CLOSE_WAIT');
  t.equal(stateName(17, 0, false), 'UDP');
  t.equal(stateName(6, S.ESTABLISHED, true), 'NONE', 'templates list as NONE');
  t.same([0, 6, 17, 132].map(protoName), ['IP', 'TCP', 'UDP', 'SCTP']);
});
