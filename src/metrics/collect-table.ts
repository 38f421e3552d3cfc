/**
 * The table's families from one snapshot: node_exporter's node_ipvs_* (totals and per-backend gauges) and
 * lvsd's per-service and per-real-server counters, written to a sink in slices of `sliceSize` services with
 * `sink.pause()` between them. A 100,000-real-server scrape is then many short turns of the event loop (the
 * proxy plane's) and many small chunks on the wire, never one 80 MB string: joining that was most of a
 * scrape's stall (bench/metrics-scrape.ts).
 */
import type { DestEntry, ServiceEntry, TableSnapshot } from '../model/table.js';
import { BACKEND_LABELS, IPVS, LVSD_TABLE, SERVICE_LABELS, type MetricDef } from './definitions.js';
import { ExpositionWriter, familyHeader, formatValue, labelBlock } from './exposition.js';
import { backendLabels, serviceLabels } from './labels.js';

export const SLICE_SERVICES = 500;

export interface TextSink {
  write(chunk: string): void;
  /** Lets the event loop (and a slow reader) catch up; rejects when the reader has gone. */
  pause(): Promise<void>;
}

const SERVICE_FAMILIES: ReadonlyArray<[MetricDef, (s: ServiceEntry) => number]> = [
  [LVSD_TABLE.serviceConnections, (s) => s.stats.conns],
  [LVSD_TABLE.serviceInBytes, (s) => s.stats.inBytes],
  [LVSD_TABLE.serviceOutBytes, (s) => s.stats.outBytes],
];
const BACKEND_FAMILIES: ReadonlyArray<[MetricDef, (d: DestEntry) => number]> = [
  [IPVS.backendActive, (d) => d.activeConns],
  [IPVS.backendInactive, (d) => d.inactConns],
  [IPVS.backendWeight, (d) => d.spec.weight],
  [LVSD_TABLE.backendConnections, (d) => d.stats.conns],
  [LVSD_TABLE.backendCps, (d) => d.rates.cps],
];

export async function writeTable(snap: TableSnapshot, sink: TextSink, sliceSize = SLICE_SERVICES): Promise<void> {
  const services = snap.services;
  // node_exporter reads the totals from /proc/net/ip_vs_stats; every plane here reports per-service counters,
  // and their sum is the same figure while services are not deleted (the kernel's keeps deleted ones' share).
  const total = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
  let backends = 0;
  for (const s of services) {
    total.conns += s.stats.conns;
    total.inPkts += s.stats.inPkts;
    total.outPkts += s.stats.outPkts;
    total.inBytes += s.stats.inBytes;
    total.outBytes += s.stats.outBytes;
    backends += s.dests.length;
  }
  const head = new ExpositionWriter();
  head.single(IPVS.connections, total.conns);
  head.single(IPVS.incomingPackets, total.inPkts);
  head.single(IPVS.outgoingPackets, total.outPkts);
  head.single(IPVS.incomingBytes, total.inBytes);
  head.single(IPVS.outgoingBytes, total.outBytes);
  head.single(LVSD_TABLE.services, services.length);
  head.single(LVSD_TABLE.backends, backends);
  sink.write(head.text());

  // Label blocks once per scrape, shared by the families: the string work is per series, not per sample.
  // Making them costs about ten samples' work each, so these slices are an eighth as long.
  const svcBlocks: string[] = [];
  const destBlocks: string[][] = [];
  const labelSlice = Math.max(1, sliceSize >> 3);
  for (let i = 0; i < services.length; i++) {
    if (i > 0 && i % labelSlice === 0) await sink.pause();
    const s = services[i]!;
    const sl = serviceLabels(s.spec.id);
    svcBlocks.push(labelBlock(SERVICE_LABELS, sl));
    destBlocks.push(s.dests.map((d) => labelBlock(BACKEND_LABELS, backendLabels(sl, d.spec.addr.text, d.spec.port))));
  }
  for (const [d, value] of SERVICE_FAMILIES) {
    sink.write(familyHeader(d));
    for (let from = 0; from < services.length; from += sliceSize) {
      const parts: string[] = [];
      for (let i = from; i < Math.min(from + sliceSize, services.length); i++) parts.push(`${d.name}${svcBlocks[i]!} ${formatValue(value(services[i]!))}\n`);
      sink.write(parts.join(''));
      await sink.pause();
    }
  }
  for (const [d, value] of BACKEND_FAMILIES) {
    sink.write(familyHeader(d));
    for (let from = 0; from < services.length; from += sliceSize) {
      const parts: string[] = [];
      for (let i = from; i < Math.min(from + sliceSize, services.length); i++) {
        const dests = services[i]!.dests;
        const blocks = destBlocks[i]!;
        for (let j = 0; j < dests.length; j++) parts.push(`${d.name}${blocks[j]!} ${formatValue(value(dests[j]!))}\n`);
      }
      sink.write(parts.join(''));
      await sink.pause();
    }
  }
}
