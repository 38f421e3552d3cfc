/**
 * The table's families from one snapshot, in one pass over the services: node_exporter's node_ipvs_*
 * (totals and per-backend gauges) and lvsd's per-service and per-real-server counters. Every `sliceSize`
 * services it awaits `pause()`, so a 100,000-real-server scrape is many short turns of the event loop,
 * not one long one.
 */
import type { TableSnapshot } from '../model/table.js';
import { IPVS, LVSD_TABLE, type MetricDef } from './definitions.js';
import { ExpositionWriter } from './exposition.js';
import { backendLabels, serviceLabels } from './labels.js';

export const SLICE_SERVICES = 500;

const SERVICE_FAMILIES = [LVSD_TABLE.serviceConnections, LVSD_TABLE.serviceInBytes, LVSD_TABLE.serviceOutBytes] as const;
const BACKEND_FAMILIES = [IPVS.backendActive, IPVS.backendInactive, IPVS.backendWeight, LVSD_TABLE.backendConnections, LVSD_TABLE.backendCps] as const;

export async function writeTable(snap: TableSnapshot, pause: () => Promise<void>, sliceSize = SLICE_SERVICES): Promise<string> {
  const per = new Map<MetricDef, ExpositionWriter>();
  for (const d of [...SERVICE_FAMILIES, ...BACKEND_FAMILIES]) {
    const w = new ExpositionWriter();
    w.family(d);
    per.set(d, w);
  }
  const w = (d: MetricDef): ExpositionWriter => per.get(d)!;
  // node_exporter reads these from /proc/net/ip_vs_stats; every plane here reports per-service counters,
  // and their sum is the same figure while services are not deleted (the kernel's keeps deleted ones' share).
  const total = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
  let backends = 0;
  for (const [i, svc] of snap.services.entries()) {
    if (i > 0 && i % sliceSize === 0) await pause();
    const sl = serviceLabels(svc.spec.id);
    total.conns += svc.stats.conns;
    total.inPkts += svc.stats.inPkts;
    total.outPkts += svc.stats.outPkts;
    total.inBytes += svc.stats.inBytes;
    total.outBytes += svc.stats.outBytes;
    w(LVSD_TABLE.serviceConnections).sample(LVSD_TABLE.serviceConnections, sl, svc.stats.conns);
    w(LVSD_TABLE.serviceInBytes).sample(LVSD_TABLE.serviceInBytes, sl, svc.stats.inBytes);
    w(LVSD_TABLE.serviceOutBytes).sample(LVSD_TABLE.serviceOutBytes, sl, svc.stats.outBytes);
    for (const d of svc.dests) {
      backends++;
      const bl = backendLabels(sl, d.spec.addr.text, d.spec.port);
      w(IPVS.backendActive).sample(IPVS.backendActive, bl, d.activeConns);
      w(IPVS.backendInactive).sample(IPVS.backendInactive, bl, d.inactConns);
      w(IPVS.backendWeight).sample(IPVS.backendWeight, bl, d.spec.weight);
      w(LVSD_TABLE.backendConnections).sample(LVSD_TABLE.backendConnections, bl, d.stats.conns);
      w(LVSD_TABLE.backendCps).sample(LVSD_TABLE.backendCps, bl, d.rates.cps);
    }
  }
  const head = new ExpositionWriter();
  head.single(IPVS.connections, total.conns);
  head.single(IPVS.incomingPackets, total.inPkts);
  head.single(IPVS.outgoingPackets, total.outPkts);
  head.single(IPVS.incomingBytes, total.inBytes);
  head.single(IPVS.outgoingBytes, total.outBytes);
  head.single(LVSD_TABLE.services, snap.services.length);
  head.single(LVSD_TABLE.backends, backends);
  return head.text() + [...per.values()].map((x) => x.text()).join('');
}
