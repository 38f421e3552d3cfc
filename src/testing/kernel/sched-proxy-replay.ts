import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProxyDataPlane } from '../../planes/proxy/plane.js';
import { FakeClock } from '../fake-clock.js';
import { MemoryLogger } from '../logger.js';
import { namedServer } from '../servers.js';
import { visit, type Visit } from '../tcp-visit.js';
import { buildPlan, LOCALITY_EXPIRATION_S, PROXY_SCHEDULERS, REAL_PORT, REALS4, type Counts, type ProxyReplay, type Rec, type SvcDef } from './sched-diff-plan.js';
import { setupOps, tableOp } from './sched-replay.js';
import { applyOrThrow } from '../apply.js';

/**
 * `node sched-proxy-replay.js KERNEL_JSON` in a fresh namespace of the guest: the kernel's recorded
 * sequence (sched-diff.ts) for the IPv4 services of PROXY_SCHEDULERS, through the proxy plane over real
 * loopback sockets, its Clock a FakeClock moved to each recorded timestamp (so the long pause costs no real
 * time). Real servers are 127.0.1.11-14 named as the lab's; client 198.19.a.b becomes 127.19.a.b with the
 * same source port. Prints a ProxyReplay as JSON.
 */

const LOOP_VIP = '127.0.0.100';
const loopReal = (i: number): string => `127.0.1.${11 + i}`;
const loopClient = (a: string): string => a.replace(/^198\./, '127.');

interface KernelData {
  scheds: string[];
  recs: Rec[];
  finalT: number;
}

/** The service on loopback: same scheduler and port, the VIP and real servers moved to 127/8. */
function onLoopback(s: SvcDef): SvcDef {
  return { ...s, vaddrs: [LOOP_VIP], reals: REALS4.map((_, i) => loopReal(i)) };
}

/** Waits (real time, bounded) until the relay for this client has finished and entered its end state. */
async function settled(plane: ProxyDataPlane, client: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const e = (await plane.connections()).find((c) => c.client === client);
    if (!e || /TIME_WAIT|CLOSE/.test(e.state)) return;
    await sleep(10);
  }
}

async function main(): Promise<ProxyReplay> {
  const data = JSON.parse(readFileSync(process.argv[2], 'utf8')) as KernelData;
  const plan = buildPlan(data.scheds);
  const chosen = new Set(plan.services.map((s, i) => [s, i] as const).filter(([s]) => s.kind === 'v4' && PROXY_SCHEDULERS.includes(s.sched)).map(([, i]) => i));
  const services = plan.services.map(onLoopback);
  await Promise.all(REALS4.map((name, i) => namedServer(loopReal(i), name, REAL_PORT)));
  const clock = new FakeClock(0);
  const plane = new ProxyDataPlane({ clock, random: () => 0, log: new MemoryLogger(), localityExpiration: LOCALITY_EXPIRATION_S * 1000 });
  for (const op of setupOps(services.filter((_, i) => chosen.has(i)))) await applyOrThrow(plane, op);
  /** Held connections by id, with the client address:port the plane lists them under. */
  const held = new Map<number, { v: Visit; client: string }>();
  const choices: Record<number, string | null> = {};
  const connSvc = new Map<number, number>();
  for (const r of data.recs) {
    const x = r.action;
    const svc = x.a === 'finish' ? connSvc.get(x.id) : x.a === 'pause' ? undefined : x.svc;
    if (svc === undefined || !chosen.has(svc)) continue;
    if (r.t0 > clock.now()) await clock.advanceAsync(r.t0 - clock.now());
    const op = tableOp(services, x);
    if (op) await applyOrThrow(plane, op);
    else if (x.a === 'conn') {
      connSvc.set(x.id, x.svc);
      const src = loopClient(x.client);
      try {
        const v = await visit({ host: LOOP_VIP, port: services[x.svc].vport, localAddress: src, localPort: x.cport, end: x.end });
        choices[x.id] = v.name;
        if (x.end === 'hold') held.set(x.id, { v, client: `${src}:${x.cport}` });
        else await settled(plane, `${src}:${x.cport}`);
      } catch {
        choices[x.id] = null;
      }
    } else if (x.a === 'finish') {
      const h = held.get(x.id);
      held.delete(x.id);
      if (h) {
        await h.v.finish(x.how);
        await settled(plane, h.client);
      }
    }
  }
  if (data.finalT > clock.now()) await clock.advanceAsync(data.finalT - clock.now());
  const snap = await plane.snapshot();
  const counts: Counts = {};
  for (const i of chosen) {
    const e = snap.services.find((s) => s.spec.id.kind === 'addr' && s.spec.id.port === services[i].vport);
    if (e) counts[i] = Object.fromEntries(e.dests.map((d) => [REALS4[Number(d.spec.addr.text.split('.')[3]) - 11], [d.activeConns, d.inactConns] as [number, number]]));
  }
  return { choices, counts };
}

main().then((r) => {
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}, (e: unknown) => {
  process.stderr.write(`sched-proxy-replay: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
