import t from 'tap';
import { parseResponse, parseRequestLine, requestLine, respond } from '../../../src/control/protocol.js';
import type { VirtualServerSnapshot } from '../../../src/health/snapshot.js';
import { REPORT } from './fixtures/health-report.js';

// The `health` request and answer on the wire: what the daemon sends decodes to the same value, and a hostile
// answer is refused with the path of what is wrong (lvsadm never trusts the socket).

t.test('health: request and answer round-trip', async (t) => {
  t.same(parseRequestLine(requestLine(5, { method: 'health' })), { ok: true, value: { id: 5, method: 'health' } });
  const wire = JSON.parse(JSON.stringify(respond.health(5, REPORT))) as unknown;
  t.same(parseResponse(wire), { ok: true, value: { id: 5, ok: true, health: REPORT } });
  t.same(parseResponse({ id: 6, ok: true, health: [] }), { ok: true, value: { id: 6, ok: true, health: [] } }, 'no checkers: an empty list');
});

t.test('a hostile health answer is refused, naming where', async (t) => {
  const bad = (mutate: (r: { health: VirtualServerSnapshot[] }) => void): string => {
    const r = JSON.parse(JSON.stringify(respond.health(1, REPORT))) as { health: VirtualServerSnapshot[] };
    mutate(r);
    const p = parseResponse(r);
    return p.ok ? 'accepted' : p.error;
  };
  t.match(bad((r) => { (r.health[0]!.realServers[0]!.checkers[0]!.last as { reason: string }).reason = 'bogus'; }),
    /^response\.health\[0\]\.realServers\[0\]\.checkers\[0\]\.last\.reason: expected one of refused\|/);
  t.match(bad((r) => { (r.health[0]!.realServers[1] as { alive: unknown }).alive = 'yes'; }), /realServers\[1\]\.alive: expected true or false/);
  t.match(bad((r) => { (r.health[0] as { liveWeight: unknown }).liveWeight = -1; }), /health\[0\]\.liveWeight: expected a number ≥ 0/);
  t.match(bad((r) => { (r as { health: unknown }).health = {}; }), /response\.health: expected an array/);
});
