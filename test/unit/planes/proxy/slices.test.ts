import t from 'tap';
import { ProxyDataPlane } from '../../../../src/planes/proxy/plane.js';
import { SystemClock } from '../../../../src/platform/clock.js';
import { systemRandom } from '../../../../src/platform/random.js';
import { freePort } from '../../../../src/platform/free-port.js';
import { SLICE_UNITS } from '../../../../src/ports/pause.js';
import { MemoryLogger } from '../../../../src/testing/logger.js';
import { svcId, serviceSpec, destSpec } from '../../../../src/testing/specs.js';
import type { TableOp } from '../../../../src/model/ops.js';

// Issue 11: the proxy plane relays on the thread that applies the table, so a large apply and a large
// read-back give the event loop a turn every SLICE_UNITS ops or real servers. The pause reads the table
// back each time, so what it sees is what was applied between turns.

const DESTS = 2600;

t.test('apply pauses every SLICE_UNITS ops and the read-back pauses too', async (t) => {
  let inner = false;
  const seen: number[] = [];
  let readPauses = 0;
  const pause = async (): Promise<void> => {
    if (inner) {
      readPauses++;
      return;
    }
    inner = true;
    const s = await p.snapshot();
    inner = false;
    seen.push(s.services[0]?.dests.length ?? 0);
  };
  const p = new ProxyDataPlane({ clock: new SystemClock(), random: systemRandom(), log: new MemoryLogger(), pause });
  t.teardown(() => p.close());
  const port = await freePort('127.0.0.90');
  const id = svcId(`127.0.0.90:${port}`);
  const ops: TableOp[] = [{ op: 'add-service', spec: serviceSpec(id) }];
  for (let i = 0; i < DESTS; i++) ops.push({ op: 'add-dest', service: id, dest: destSpec(`10.9.${i >> 8}.${i & 255}:8080`) });
  const results = await p.apply(ops);
  t.equal(results.filter((r) => r !== null).length, 0, 'every op applied');
  t.equal(seen.length, Math.floor(ops.length / SLICE_UNITS), `${seen.length} pauses for ${ops.length} ops`);
  const steps = seen.map((n, i) => n - (i ? seen[i - 1]! : 0));
  t.ok(steps.every((n) => n > 0 && n <= SLICE_UNITS), `at most ${SLICE_UNITS} ops between turns: ${steps.join(', ')}`);
  // The first read-back holds 498 real servers (under a slice); each later one holds at least SLICE_UNITS.
  t.equal(readPauses, seen.length - 1, 'each read-back of SLICE_UNITS real servers or more paused');
  t.equal((await p.snapshot()).services[0]?.dests.length, DESTS);
});
