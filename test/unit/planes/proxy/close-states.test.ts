import t from 'tap';
import { ProxyDataPlane } from '../../../../src/planes/proxy/plane.js';
import { FakeClock } from '../../../../src/testing/fake-clock.js';
import { systemRandom } from '../../../../src/platform/random.js';
import { freePort } from '../../../../src/platform/free-port.js';
import { MemoryLogger } from '../../../../src/testing/logger.js';
import { namedServer } from '../../../../src/testing/servers.js';
import { visit, type VisitEnd } from '../../../../src/testing/tcp-visit.js';
import { svcId, serviceSpec, destSpec } from '../../../../src/testing/specs.js';
import type { ConnEntry } from '../../../../src/model/table.js';
import { applyOrThrow } from '../../../../src/testing/apply.js';

// Real loopback sockets, time from a FakeClock: the connection table's states after a clean close and
// after a reset (ip_vs_proto_tcp.c tcp_states / tcp_timeouts), and what lc then chooses.

const VIP = '127.0.0.60';
const REALS = ['127.0.0.61', '127.0.0.62'];

async function setup(t: { teardown(fn: () => unknown): void }, tcpTimeWait?: number) {
  const clock = new FakeClock(0);
  const servers = await Promise.all(REALS.map((h) => namedServer(h)));
  const plane = new ProxyDataPlane({ clock, random: systemRandom(), log: new MemoryLogger(), tcpTimeWait });
  const port = await freePort(VIP);
  const id = svcId(`${VIP}:${port}`);
  await applyOrThrow(plane, { op: 'add-service', spec: serviceSpec(id, { scheduler: 'lc' }) });
  for (const [i, s] of servers.entries()) await applyOrThrow(plane, { op: 'add-dest', service: id, dest: destSpec(`${REALS[i]}:${s.port}`) });
  t.teardown(async () => {
    await plane.close();
    for (const s of servers) s.server.close();
  });
  /** Connects from `src`, ends as told, and waits (real time, bounded) until the relay has finished too. */
  const connect = async (src: string, end: VisitEnd): Promise<string> => {
    const v = await visit({ host: VIP, port, localAddress: src, end });
    for (let i = 0; i < 200 && (await plane.connections()).some((e) => e.client.startsWith(`${src}:`) && !/TIME_WAIT|CLOSE/.test(e.state)); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return v.name;
  };
  const counts = async () => (await plane.snapshot()).services[0]!.dests.map((d) => [d.spec.addr.text, d.activeConns, d.inactConns]);
  const states = async () => (await plane.connections()).map((e: ConnEntry) => [e.client.split(':')[0], e.state, e.expires]).sort();
  return { clock, plane, connect, counts, states };
}

t.test('a clean close stays TIME_WAIT (inactive) for 120 s, a reset goes to CLOSE for 10 s', async (t) => {
  const { clock, connect, counts, states } = await setup(t);
  const first = await connect('127.0.8.1', 'clean');
  t.equal(first, '127.0.0.62', 'lc at a tie: the first in the list, the newest dest');
  t.same(await states(), [['127.0.8.1', 'TIME_WAIT', 120]], 'ipvsadm -Lnc shows TIME_WAIT with 120 s to go');
  t.same(await counts(), [['127.0.0.62', 0, 1], ['127.0.0.61', 0, 0]], 'an inactive connection');
  t.equal(await connect('127.0.8.2', 'reset'), '127.0.0.61', 'lc: .62 has InActConn 1');
  t.same(await states(), [['127.0.8.1', 'TIME_WAIT', 120], ['127.0.8.2', 'CLOSE', 10]]);
  // The pause: more than the 10 s a CLOSE entry lives, well under TIME_WAIT's 120 s.
  await clock.advanceAsync(11_000);
  t.same(await states(), [['127.0.8.1', 'TIME_WAIT', 109]], 'the reset connection is gone, the closed one stays');
  t.same(await counts(), [['127.0.0.62', 0, 1], ['127.0.0.61', 0, 0]]);
  t.equal(await connect('127.0.8.3', 'clean'), '127.0.0.61', 'lc still counts the TIME_WAIT connection');
  await clock.advanceAsync(110_000);
  t.same(await states(), [['127.0.8.3', 'TIME_WAIT', 10]], '121 s after the first close it has expired');
  t.same(await counts(), [['127.0.0.62', 0, 0], ['127.0.0.61', 0, 1]]);
});

t.test('the TIME_WAIT timeout is a plane option', async (t) => {
  const { clock, connect, states } = await setup(t, 5);
  await connect('127.0.8.4', 'clean');
  t.same(await states(), [['127.0.8.4', 'TIME_WAIT', 5]]);
  await clock.advanceAsync(6_000);
  t.same(await states(), []);
});
