/**
 * One /metrics scrape of 10,000 services × 10 real servers (issue 14: under a second, and no stall of
 * the data plane): lvsd's endpoint over HTTP on loopback beside the anchor, prom-client alone rendering
 * the same table families (8 Gauges set in collect(), as node-ecosystem.md §3.1 shows) — node_exporter
 * itself is not installed here, and it reads /proc, which a proxy-plane table is not in. Both from the
 * same in-memory snapshot in the same run. "stall" is the longest gap a 1 ms interval timer saw during the
 * scrape: how long the event loop (which runs the proxy plane's sockets) was held.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/metrics-scrape.js
 */
import { request } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import { MetricsServer } from '../src/metrics/http-server.js';
import { IPVS, LVSD_TABLE, type MetricDef } from '../src/metrics/definitions.js';
import { backendLabels, serviceLabels } from '../src/metrics/labels.js';
import { FakeIpvs } from '../src/testing/fake-ipvs.js';
import { destSpec, serviceSpec, svcId } from '../src/testing/specs.js';
import type { TableSnapshot } from '../src/model/table.js';
import type { TableOp } from '../src/model/ops.js';

const SERVICES = 10_000;
const PER = 10;
const RUNS = 3;
const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };

async function table(): Promise<TableSnapshot> {
  const ipvs = new FakeIpvs();
  const ops: TableOp[] = [];
  for (let s = 0; s < SERVICES; s++) {
    const id = svcId(`10.${s >> 8}.${s & 255}.1:80`);
    ops.push({ op: 'add-service', spec: serviceSpec(id) });
    for (let r = 0; r < PER; r++) ops.push({ op: 'add-dest', service: id, dest: destSpec(`172.16.${s & 255}.${r + 1}:${8000 + (s >> 8)}`) });
  }
  await ipvs.apply(ops);
  return ipvs.snapshot();
}

/** Runs work while a 1 ms timer ticks; resolves to [seconds, longest gap between ticks in ms]. */
async function measured(work: () => Promise<unknown>): Promise<[number, number]> {
  let last = performance.now();
  let gap = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  await work();
  const s = (performance.now() - t0) / 1000;
  clearInterval(tick);
  return [s, Math.max(gap, performance.now() - last)];
}

function scrape(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      let n = 0;
      res.on('data', (d: Buffer) => { n += d.length; });
      res.on('end', () => resolve(n));
    }).on('error', reject).end();
  });
}

/** A prom-client Gauge that sets every series from the snapshot in collect(), as §3.1 of node-ecosystem.md shows. */
function gauge(registry: Registry, d: MetricDef, each: (set: (labels: readonly string[], v: number) => void) => void): void {
  new Gauge({
    name: d.name, help: d.help, labelNames: [...d.labels], registers: [registry],
    collect() {
      this.reset();
      each((values, v) => this.set(Object.fromEntries(d.labels.map((l, i) => [l, values[i]!])), v));
    },
  });
}

function promClientAlone(snap: TableSnapshot): Registry {
  const registry = new Registry();
  for (const d of [IPVS.backendActive, IPVS.backendInactive, IPVS.backendWeight, LVSD_TABLE.backendConnections, LVSD_TABLE.backendCps]) {
    gauge(registry, d, (set) => {
      for (const s of snap.services) {
        const sl = serviceLabels(s.spec.id);
        for (const x of s.dests) set(backendLabels(sl, x.spec.addr.text, x.spec.port), d === IPVS.backendWeight ? x.spec.weight : x.activeConns);
      }
    });
  }
  for (const d of [LVSD_TABLE.serviceConnections, LVSD_TABLE.serviceInBytes, LVSD_TABLE.serviceOutBytes]) {
    gauge(registry, d, (set) => {
      for (const s of snap.services) set(serviceLabels(s.spec.id), s.stats.conns);
    });
  }
  return registry;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const snap = await table();
const server = new MetricsServer({ version: 'bench', plane: 'proxy', startedAt: Date.now(), table: async () => snap }, silent);
const { port } = await server.listen('127.0.0.1', 0);
const anchor = promClientAlone(snap);
const ours: Array<[number, number]> = [];
const theirs: Array<[number, number]> = [];
let bytes = 0;
for (let i = 0; i < RUNS; i++) {
  ours.push(await measured(async () => { bytes = await scrape(port); }));
  theirs.push(await measured(() => anchor.metrics()));
}
await server.close();
const [oS, oG] = [median(ours.map((x) => x[0])), median(ours.map((x) => x[1]))];
const [tS, tG] = [median(theirs.map((x) => x[0])), median(theirs.map((x) => x[1]))];
process.stdout.write(`${SERVICES} services × ${PER} real servers, ${(bytes / 1e6).toFixed(1)} MB per scrape, median of ${RUNS}\n`);
process.stdout.write('                          scrape (s)   longest stall (ms)\n');
process.stdout.write(`lvsd /metrics over HTTP   ${oS.toFixed(3).padStart(10)}   ${oG.toFixed(1).padStart(18)}\n`);
process.stdout.write(`prom-client alone         ${tS.toFixed(3).padStart(10)}   ${tG.toFixed(1).padStart(18)}\n`);
process.stdout.write(`ratio lvsd / prom-client  ${(oS / tS).toFixed(2).padStart(10)}   ${(oG / tG).toFixed(2).padStart(18)}\n`);
