/**
 * node_exporter's label values for a service and a real server, as prometheus/procfs ipvs.go reads them
 * from /proc/net/ip_vs: proto TCP/UDP/SCTP, or FWM with local_address "", local_port "0" and local_mark
 * the mark as /proc prints it (%08X); addresses as Go's net.IP.String() (compressed IPv6, which is also
 * the model's canonical text); ports in decimal. The same values on every data plane.
 */
import type { ServiceId } from '../model/service.js';
import type { ServiceRef } from '../ports/status.js';

/** [local_address, local_port, proto, local_mark] — SERVICE_LABELS order. */
export type ServiceLabels = readonly [string, string, string, string];

export function fwmarkText(mark: number): string {
  return mark.toString(16).toUpperCase().padStart(8, '0');
}

export function serviceLabels(id: ServiceId): ServiceLabels {
  if (id.kind === 'fwmark') return ['', '0', 'FWM', fwmarkText(id.fwmark)];
  return [id.addr.text, String(id.port), id.protocol.toUpperCase(), ''];
}

export function serviceRefLabels(s: ServiceRef): ServiceLabels {
  if (s.proto === 'FWM') return ['', '0', 'FWM', fwmarkText(s.fwmark)];
  return [s.address, String(s.port), s.proto, ''];
}

/** BACKEND_LABELS order: local_address, local_port, remote_address, remote_port, proto, local_mark. */
export function backendLabels(s: ServiceLabels, addr: string, port: number): readonly string[] {
  return [s[0], s[1], addr, String(port), s[2], s[3]];
}

/** The ServiceRef of a table service (status.json and health use it to name services). */
export function serviceRef(id: ServiceId): ServiceRef {
  if (id.kind === 'fwmark') return { proto: 'FWM', address: '', port: 0, fwmark: id.fwmark };
  return { proto: id.protocol === 'tcp' ? 'TCP' : id.protocol === 'udp' ? 'UDP' : 'SCTP', address: id.addr.text, port: id.port, fwmark: 0 };
}
