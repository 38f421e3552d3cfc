import t from 'tap';
import { ProxyDataPlane } from '../../../../src/planes/proxy/plane.js';
import { reachesListener, type Endpoint } from '../../../../src/planes/proxy/loop-guard.js';
import { SystemClock } from '../../../../src/platform/clock.js';
import { systemRandom } from '../../../../src/platform/random.js';
import { freePort } from '../../../../src/platform/free-port.js';
import { MemoryLogger } from '../../../../src/testing/logger.js';
import { svcId, serviceSpec, destSpec, ip } from '../../../../src/testing/specs.js';
import type { TableOp } from '../../../../src/model/ops.js';

// Issue 11: a real server that is one of the proxy plane's own listeners would make every client open
// connections to the plane itself until descriptors ran out. The plane refuses it as the op arrives.

async function outcome(p: ProxyDataPlane, op: TableOp): Promise<string> {
  const [e] = await p.apply([op]);
  return e ? `${e.errno}: ${e.message}` : 'applied';
}

t.test('the plane refuses a real server that reaches one of its listeners, and a listener a real server reaches', async (t) => {
  const p = new ProxyDataPlane({ clock: new SystemClock(), random: systemRandom(), log: new MemoryLogger() });
  t.teardown(() => p.close());
  const port = await freePort('127.0.0.80');
  const a = svcId(`127.0.0.80:${port}`);
  t.equal(await outcome(p, { op: 'add-service', spec: serviceSpec(a) }), 'applied');
  t.match(await outcome(p, { op: 'add-dest', service: a, dest: destSpec(`127.0.0.80:${port}`) }),
    /^ELOOP: real server TCP 127\.0\.0\.80:\d+ is lvsd's own listener TCP 127\.0\.0\.80:\d+/, 'RS equal to its VIP');
  t.match(await outcome(p, { op: 'add-dest', service: a, dest: destSpec('127.0.0.80:0') }), /^ELOOP: real server .* own listener/, 'port 0 means the service port');
  t.equal(await outcome(p, { op: 'add-dest', service: a, dest: destSpec(`127.0.0.81:${port}`) }), 'applied', 'another address is fine');
  t.match(await outcome(p, { op: 'edit-dest', service: a, dest: destSpec(`127.0.0.80:${port}`) }), /^ELOOP/, 'an edit to such a real server is refused too');

  const wport = await freePort('0.0.0.0');
  const w = svcId(`0.0.0.0:${wport}`);
  t.equal(await outcome(p, { op: 'add-service', spec: serviceSpec(w) }), 'applied');
  t.match(await outcome(p, { op: 'add-dest', service: a, dest: destSpec(`127.0.0.1:${wport}`) }),
    /own listener TCP 0\.0\.0\.0:/, '127.0.0.1 of another service listening on 0.0.0.0');

  const u = svcId(`127.0.0.80:${port}`, 'udp');
  t.equal(await outcome(p, { op: 'add-service', spec: serviceSpec(u) }), 'applied');
  t.equal(await outcome(p, { op: 'add-dest', service: u, dest: destSpec(`127.0.0.81:${port}`) }), 'applied', 'UDP to the TCP listener\'s port is no loop');

  // A real server first, then a service that it would point at.
  const lport = await freePort('127.0.0.83');
  t.equal(await outcome(p, { op: 'add-dest', service: a, dest: destSpec(`127.0.0.83:${lport}`) }), 'applied');
  t.match(await outcome(p, { op: 'add-service', spec: serviceSpec(svcId(`127.0.0.83:${lport}`)) }),
    /^ELOOP: real server TCP 127\.0\.0\.83:\d+ is lvsd's own listener/, 'a service an existing real server points at');
});

t.test('which destinations reach which listeners', async (t) => {
  const e = (addr: string, port = 80, protocol: 'tcp' | 'udp' = 'tcp'): Endpoint => ({ protocol, addr: ip(addr), port });
  const local = new Set(['10.1.2.3', '::1', '127.0.0.1']);
  const cases: Array<[Endpoint, Endpoint, boolean]> = [
    [e('10.0.0.1'), e('10.0.0.1'), true],
    [e('10.0.0.1', 81), e('10.0.0.1'), false],
    [e('10.0.0.1', 80, 'udp'), e('10.0.0.1'), false],
    [e('10.1.2.3'), e('0.0.0.0'), true],
    [e('127.0.0.9'), e('0.0.0.0'), true],
    [e('192.0.2.1'), e('0.0.0.0'), false],
    [e('127.0.0.1'), e('::'), true],
    [e('::1'), e('0.0.0.0'), false],
    [e('0.0.0.0'), e('127.0.0.1'), true],
    [e('0.0.0.0'), e('0.0.0.0'), true],
    [e('0.0.0.0'), e('192.0.2.1'), false],
  ];
  for (const [dest, listener, want] of cases) t.equal(reachesListener(dest, listener, local), want, `${dest.protocol} ${dest.addr.text}:${dest.port} → listener ${listener.protocol} ${listener.addr.text}:${listener.port}`);
});
