import t, { type Test } from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DaemonCore } from '../../../src/daemon/core.js';
import { loadConfig } from '../../../src/daemon/config-source.js';
import { IpvsDataPlane } from '../../../src/planes/ipvs/plane.js';
import { FakeClock } from '../../../src/testing/fake-clock.js';
import { FakeIpvs } from '../../../src/testing/fake-ipvs.js';
import { MemoryLogger } from '../../../src/testing/logger.js';
import { keepalivedConf, type ConfService } from '../../../src/testing/keepalived-conf.js';
import { destSpec, ip, serviceSpec, svcId } from '../../../src/testing/specs.js';
import type { DataPlane } from '../../../src/ports/dataplane.js';
import type { TableSnapshot } from '../../../src/model/table.js';

// The daemon core stepped by a FakeClock over the IPVS plane on FakeIpvs (a real in-memory table with the
// kernel's rules): reload, drift repair, coalescing of passes and operator overrides, without one sleep.

const INTERVAL = 10_000;
const WEB = svcId('10.0.0.1:80');

function web(servers: ConfService['servers']): ConfService {
  return { addr: '10.0.0.1', port: 80, scheduler: 'wrr', kind: 'NAT', servers };
}
const TWO = [web([{ addr: '192.168.1.10', port: 80, weight: 3 }, { addr: '192.168.1.11', port: 80, weight: 1 }])];

/** The table as lines an operator would compare: service and scheduler, then each real server and weight. */
function lines(s: TableSnapshot): string[] {
  return s.services.flatMap((e) => {
    const id = e.spec.id;
    const name = id.kind === 'addr' ? `${id.protocol}:${id.addr.text}:${id.port}` : `fwm:${id.fwmark}`;
    return [`${name} ${e.spec.scheduler}`, ...e.dests.map((d) => `  ${d.spec.addr.text}:${d.spec.port} w${d.spec.weight}`).sort()];
  });
}

function setup(t: Test, services: readonly ConfService[], plane?: (p: DataPlane) => DataPlane) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-core-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keepalived.conf');
  const write = (s: readonly ConfService[]): void => fs.writeFileSync(file, keepalivedConf(s));
  write(services);
  const kernel = new FakeIpvs();
  const base = new IpvsDataPlane(kernel);
  const clock = new FakeClock();
  const log = new MemoryLogger();
  const core = new DaemonCore(
    { clock, plane: plane ? plane(base) : base, log, loadConfig: (f) => loadConfig(f, 'test') },
    { configFile: file, reconcileIntervalMs: INTERVAL, flushOnStop: false },
  );
  t.teardown(() => core.stop());
  const table = (): string[] => lines(kernel.table.snapshot());
  const logged = (msg: string | RegExp): number => log.lines.filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg))).length;
  return { file, write, kernel, clock, log, core, table, logged };
}

t.test('reload applies only the difference; a broken file changes nothing', async (t) => {
  const s = setup(t, TWO);
  t.ok(await s.core.start());
  t.same(s.table(), ['tcp:10.0.0.1:80 wrr', '  192.168.1.10:80 w3', '  192.168.1.11:80 w1']);
  s.kernel.log.length = 0;
  s.write([web([{ addr: '192.168.1.10', port: 80, weight: 5 }, { addr: '192.168.1.12', port: 80, weight: 1 }])]);
  await s.core.reload();
  t.same(s.kernel.log.map((o) => o.op), ['add-dest', 'edit-dest', 'del-dest'], 'no flush, no re-add: the three changes only');
  t.same(s.table(), ['tcp:10.0.0.1:80 wrr', '  192.168.1.10:80 w5', '  192.168.1.12:80 w1']);

  s.kernel.log.length = 0;
  fs.appendFileSync(s.file, 'virtual_server 10.0.0.9 {\n');
  await s.core.reload();
  t.equal(s.logged('configuration has errors; nothing changed'), 1);
  t.same(s.kernel.log, [], 'nothing was sent to the table');
  t.same(s.table(), ['tcp:10.0.0.1:80 wrr', '  192.168.1.10:80 w5', '  192.168.1.12:80 w1']);
});

t.test('a broken file at start-up is refused before anything touches the table', async (t) => {
  const s = setup(t, TWO);
  fs.appendFileSync(s.file, 'virtual_server 10.0.0.9 {\n');
  t.notOk(await s.core.start());
  t.same(s.kernel.log, []);
  t.equal(s.clock.pending, 0, 'no repair timer runs for a daemon that will not start');
});

t.test('drift made behind lvsd\'s back is repaired at each interval, not before', async (t) => {
  const s = setup(t, TWO);
  await s.core.start();
  const good = s.table();
  for (let round = 0; round < 3; round++) {
    // ipvsadm on the kernel: a weight changed and a stray service added
    s.kernel.table.apply({ op: 'edit-dest', service: WEB, dest: destSpec('192.168.1.10:80', { weight: 9 }) });
    s.kernel.table.apply({ op: 'add-service', spec: serviceSpec(svcId(`10.9.9.${round}:22`)) });
    await s.clock.advanceAsync(INTERVAL - 1);
    t.not(s.table().join('\n'), good.join('\n'), `round ${round}: not repaired before the interval`);
    await s.clock.advanceAsync(1);
    await s.core.idle();
    t.same(s.table(), good, `round ${round}: repaired at the interval`);
  }
  t.equal(s.clock.pending, 1, 'one repair timer armed, never more');
});

t.test('a slow data plane: at most one pass runs and one waits, however many ask', async (t) => {
  let gate: Promise<void> | null = null;
  let release = (): void => undefined;
  let running = 0;
  let maxRunning = 0;
  // A plane whose read-back waits on a promise the test controls, as a slow kernel dump would.
  const slow = (p: DataPlane): DataPlane => Object.assign(Object.create(p) as DataPlane, {
    snapshot: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        if (gate) await gate;
        return await p.snapshot();
      } finally {
        running--;
      }
    },
  });
  const s = setup(t, TWO, slow);
  await s.core.start();
  const before = s.core.passCounts;
  gate = new Promise<void>((resolve) => { release = resolve; });
  await s.clock.advanceAsync(INTERVAL * 20);
  const asked = [s.core.reload(), s.core.reload(), s.core.requestReconcile(), s.core.reload()];
  await s.clock.advanceAsync(INTERVAL * 5);
  t.equal(running, 1, 'one pass is stuck in the slow read-back');
  t.equal(s.core.passCounts.requested - before.requested, 29, '25 ticks and 4 requests asked');
  t.equal(s.core.passCounts.run - before.run, 1, 'only the first has started; the rest wait as one');
  t.equal(s.logged('reloading configuration'), 0, 'the reload has not begun while a pass runs');
  gate = null;
  release();
  await Promise.all(asked);
  await s.core.idle();
  t.equal(maxRunning, 1, 'never two read-backs at once');
  t.equal(s.core.passCounts.run - before.run, 2, 'the waiting requests were served by one more pass');
  t.equal(s.logged('reloading configuration'), 1, 'the three reloads became one');
  t.equal(s.clock.pending, 1, 'the repair timer did not pile up');
});

t.test('operator overrides survive drift repair and are cleared by reload', async (t) => {
  const s = setup(t, TWO);
  await s.core.start();
  const drain = { op: 'edit-dest' as const, service: WEB, dest: destSpec('192.168.1.10:80', { weight: 0 }) };
  t.same(await s.core.applyOperatorOps([drain]), { ok: true });
  t.same(s.core.overrides(), [drain], 'listed');
  t.equal(s.logged('operator override: drift repair keeps it until the next reload'), 1, 'logged once, when made');
  // behind lvsd's back, meanwhile: still drift
  s.kernel.table.apply({ op: 'del-dest', service: WEB, addr: ip('192.168.1.11'), port: 80 });
  await s.clock.advanceAsync(INTERVAL * 3);
  await s.core.idle();
  t.same(s.table(), ['tcp:10.0.0.1:80 wrr', '  192.168.1.10:80 w0', '  192.168.1.11:80 w1'], 'the drain holds; the deleted server is back');
  t.equal(s.logged('operator override: drift repair keeps it until the next reload'), 1, 'not logged again by repair');

  await s.core.reload();
  t.equal(s.logged('reload clears 1 operator overrides'), 1);
  t.same(s.core.overrides(), []);
  t.same(s.table(), ['tcp:10.0.0.1:80 wrr', '  192.168.1.10:80 w3', '  192.168.1.11:80 w1'], 'the file is re-applied');
});

t.test('a refused operator change is no override; the ones before it are', async (t) => {
  const s = setup(t, TWO);
  await s.core.start();
  const add = { op: 'add-dest' as const, service: WEB, dest: destSpec('192.168.1.20:80') };
  const dup = { op: 'add-dest' as const, service: WEB, dest: destSpec('192.168.1.10:80') };
  t.match(await s.core.applyOperatorOps([add, dup]), { ok: false, index: 1, error: { errno: 'EEXIST' } });
  t.same(s.core.overrides(), [add]);
  await s.clock.advanceAsync(INTERVAL);
  await s.core.idle();
  t.ok(s.table().includes('  192.168.1.20:80 w1'), 'the accepted one holds');
});

t.test('a flush through the socket empties the table until the reload', async (t) => {
  const s = setup(t, TWO);
  await s.core.start();
  const mine = serviceSpec(svcId('10.0.0.7:443'), { scheduler: 'rr' });
  t.same(await s.core.applyOperatorOps([{ op: 'flush' }, { op: 'add-service', spec: mine }]), { ok: true });
  await s.clock.advanceAsync(INTERVAL * 2);
  await s.core.idle();
  t.same(s.table(), ['tcp:10.0.0.7:443 rr'], 'the file\'s service stays out; the operator\'s own stays in');
  t.same(s.core.overrides().map((o) => o.op), ['flush', 'add-service']);
  await s.core.reload();
  t.equal(s.logged('reload clears 2 operator overrides'), 1);
  t.same(s.table(), ['tcp:10.0.0.1:80 wrr', '  192.168.1.10:80 w3', '  192.168.1.11:80 w1']);
});

t.test('without a file: operator changes are the table, nothing is repaired or held', async (t) => {
  const kernel = new FakeIpvs();
  const clock = new FakeClock();
  const log = new MemoryLogger();
  const core = new DaemonCore(
    { clock, plane: new IpvsDataPlane(kernel), log, loadConfig: () => { throw new Error('no file to load'); } },
    { configFile: undefined, reconcileIntervalMs: INTERVAL, flushOnStop: false },
  );
  t.ok(await core.start());
  t.equal(clock.pending, 0, 'no repair timer');
  t.same(await core.applyOperatorOps([{ op: 'add-service', spec: serviceSpec(WEB) }]), { ok: true });
  t.same(core.overrides(), []);
  await core.reload();
  t.ok(log.lines.some((l) => l.level === 'warn' && l.msg === 'SIGHUP ignored: lvsd runs without a configuration file'));
  t.equal(kernel.table.snapshot().services.length, 1);
  await core.stop();
});

t.test('stop waits for queued work, then flushes as --flush-on-stop says', async (t) => {
  const kernel = new FakeIpvs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-core-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'keepalived.conf');
  fs.writeFileSync(file, keepalivedConf(TWO));
  const clock = new FakeClock();
  const core = new DaemonCore(
    { clock, plane: new IpvsDataPlane(kernel), log: new MemoryLogger(), loadConfig: (f) => loadConfig(f, 'test') },
    { configFile: file, reconcileIntervalMs: INTERVAL, flushOnStop: true },
  );
  await core.start();
  const queued = core.applyOperatorOps([{ op: 'add-service', spec: serviceSpec(svcId('10.0.0.8:80')) }]);
  await core.stop();
  t.same(await queued, { ok: true }, 'the queued change finished first');
  t.equal(clock.pending, 0, 'the repair timer is gone');
  await core.flushOnStop();
  t.same(kernel.table.snapshot().services, []);
  t.equal(kernel.log.at(-1)?.op, 'flush');
});

t.test('a restore through the socket logs 200 overrides one by one, then a count', async (t) => {
  const s = setup(t, TWO);
  await s.core.start();
  const ops = Array.from({ length: 250 }, (_, i) => ({ op: 'add-service' as const, spec: serviceSpec(svcId(`10.1.${i >> 8}.${i & 255}:80`)) }));
  t.same(await s.core.applyOperatorOps(ops), { ok: true });
  t.equal(s.logged('operator override: drift repair keeps it until the next reload'), 200);
  t.equal(s.logged('50 more operator overrides (not listed one by one)'), 1);
  t.equal(s.core.overrides().length, 250, 'all are held');
});
