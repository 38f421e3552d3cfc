/**
 * Every metric lvsd serves: name, help, type and label names, in one place (docs/METRICS.md lists them
 * for people; a test checks that a scrape serves each). Three families of names:
 *  - node_exporter's ipvs collector (collector/ipvs_linux.go: namespace "node", subsystem "ipvs"), so a
 *    Grafana board built for node_exporter works unchanged on every data plane;
 *  - mehdy/keepalived-exporter's VRRP names and labels (internal/collector/collector.go), so keepalived
 *    dashboards and alerts keep working;
 *  - lvsd_* for what only lvsd knows (checkers, quorum, connection table, reconcile, control socket).
 * Process metrics are prom-client's defaults (process_*, nodejs_*), registered in registry.ts.
 */

export type MetricType = 'gauge' | 'counter';

export interface MetricDef {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labels: readonly string[];
}

const def = (name: string, type: MetricType, labels: readonly string[], help: string): MetricDef => ({ name, help, type, labels });

/** node_exporter fullIpvsBackendLabels, in its order; values formatted as prometheus/procfs ipvs.go does. */
export const BACKEND_LABELS = ['local_address', 'local_port', 'remote_address', 'remote_port', 'proto', 'local_mark'] as const;
/** lvsd's per-service labels: node_exporter's local half. */
export const SERVICE_LABELS = ['local_address', 'local_port', 'proto', 'local_mark'] as const;
/** keepalived-exporter's per-instance labels; keepalived_vrrp_state adds ip_address (one series per VIP). */
export const VRRP_LABELS = ['iname', 'intf', 'vrid'] as const;

export const IPVS = {
  connections: def('node_ipvs_connections_total', 'counter', [], 'The total number of connections made.'),
  incomingPackets: def('node_ipvs_incoming_packets_total', 'counter', [], 'The total number of incoming packets.'),
  outgoingPackets: def('node_ipvs_outgoing_packets_total', 'counter', [], 'The total number of outgoing packets.'),
  incomingBytes: def('node_ipvs_incoming_bytes_total', 'counter', [], 'The total amount of incoming data.'),
  outgoingBytes: def('node_ipvs_outgoing_bytes_total', 'counter', [], 'The total amount of outgoing data.'),
  backendActive: def('node_ipvs_backend_connections_active', 'gauge', BACKEND_LABELS, 'The current active connections by local and remote address.'),
  backendInactive: def('node_ipvs_backend_connections_inactive', 'gauge', BACKEND_LABELS, 'The current inactive connections by local and remote address.'),
  backendWeight: def('node_ipvs_backend_weight', 'gauge', BACKEND_LABELS, 'The current backend weight by local and remote address.'),
} as const;

/** Per-service and per-real-server figures node_exporter does not have (it reads only totals there). */
export const LVSD_TABLE = {
  services: def('lvsd_services', 'gauge', [], 'Virtual services in the table the data plane reports.'),
  backends: def('lvsd_real_servers', 'gauge', [], 'Real servers in the table the data plane reports.'),
  serviceConnections: def('lvsd_service_connections_total', 'counter', SERVICE_LABELS, 'Connections scheduled by a virtual service.'),
  serviceInBytes: def('lvsd_service_incoming_bytes_total', 'counter', SERVICE_LABELS, 'Bytes from clients to a virtual service.'),
  serviceOutBytes: def('lvsd_service_outgoing_bytes_total', 'counter', SERVICE_LABELS, 'Bytes from a virtual service to clients.'),
  backendConnections: def('lvsd_backend_connections_total', 'counter', BACKEND_LABELS, 'Connections scheduled to a real server.'),
  backendCps: def('lvsd_backend_connections_per_second', 'gauge', BACKEND_LABELS, 'New connections per second to a real server (the plane\'s estimator).'),
} as const;

export const HEALTH = {
  backendUp: def('lvsd_backend_up', 'gauge', BACKEND_LABELS, '1 while a real server passes all its checkers, else 0.'),
  backendHealthWeight: def('lvsd_backend_health_weight', 'gauge', BACKEND_LABELS, 'The weight health checking gives a real server while alive.'),
  checkerUp: def('lvsd_checker_up', 'gauge', [...BACKEND_LABELS, 'checker'], '1 while a checker passes, else 0.'),
  checkerTransitions: def('lvsd_checker_transitions_total', 'counter', [...BACKEND_LABELS, 'checker'], 'Up/down changes of a checker since lvsd started.'),
  quorumUp: def('lvsd_service_quorum_up', 'gauge', SERVICE_LABELS, '1 while a virtual service has its quorum of live weight, else 0.'),
} as const;

/** mehdy/keepalived-exporter: keepalived_vrrp_state is INIT=0 BACKUP=1 MASTER=2 FAULT=3. */
export const VRRP = {
  state: def('keepalived_vrrp_state', 'gauge', [...VRRP_LABELS, 'ip_address'], 'State of vrrp'),
  advertsReceived: def('keepalived_advertisements_received_total', 'counter', VRRP_LABELS, 'Advertisements received'),
  advertsSent: def('keepalived_advertisements_sent_total', 'counter', VRRP_LABELS, 'Advertisements sent'),
  becomeMaster: def('keepalived_become_master_total', 'counter', VRRP_LABELS, 'Became master'),
  releaseMaster: def('keepalived_release_master_total', 'counter', VRRP_LABELS, 'Released master'),
  priority: def('lvsd_vrrp_priority', 'gauge', VRRP_LABELS, 'Effective VRRP priority (configured, changed by tracking).'),
  rejections: def('lvsd_vrrp_rejected_adverts_total', 'counter', [...VRRP_LABELS, 'reason'], 'Adverts refused, by the RFC 5798 §7.1 rule that refused them.'),
} as const;

export const UP = def('keepalived_up', 'gauge', [], 'Status');

export const CONNTABLE = {
  capacity: def('lvsd_conntable_capacity', 'gauge', [], 'Entries the userspace connection table can hold.'),
  entries: def('lvsd_conntable_entries', 'gauge', [], 'Entries in the userspace connection table.'),
  lookups: def('lvsd_conntable_lookups_total', 'counter', [], 'Connection-table lookups.'),
  hits: def('lvsd_conntable_hits_total', 'counter', [], 'Connection-table lookups that found an entry.'),
  evictions: def('lvsd_conntable_evictions_total', 'counter', [], 'Entries evicted to make room.'),
} as const;

export const DAEMON = {
  reconcilePasses: def('lvsd_reconcile_passes_total', 'counter', [], 'Reconcile passes run (load, reload, drift repair).'),
  reconcileOps: def('lvsd_reconcile_operations_total', 'counter', ['outcome'], 'Table operations reconcile applied (ok) or had refused (error).'),
  driftRepairs: def('lvsd_drift_repairs_total', 'counter', [], 'Table operations that repaired drift found by a periodic read-back.'),
  controlRequests: def('lvsd_control_requests_total', 'counter', ['method', 'outcome'], 'Control-socket requests by method and outcome.'),
  scrapeSeconds: def('lvsd_metrics_render_seconds', 'gauge', [], 'Time the previous scrape took to render.'),
} as const;

/** Every definition, for the test that checks a scrape serves each name and for docs. */
export const ALL_DEFS: readonly MetricDef[] = [
  ...Object.values(IPVS), ...Object.values(LVSD_TABLE), ...Object.values(HEALTH), ...Object.values(VRRP), UP,
  ...Object.values(CONNTABLE), ...Object.values(DAEMON),
];
