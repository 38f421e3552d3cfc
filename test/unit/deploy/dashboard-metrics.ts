/**
 * The metrics lvsd's dashboard may name, with their labels: what the metrics branch's
 * src/metrics/definitions.ts defines (node_exporter ipvs collector, keepalived-exporter, lvsd_*). The
 * dashboard test checks against definitions.ts itself whenever it is present, and against this list only
 * until it is merged (see grafana.test.ts); the list then only guards against a definitions file that lost
 * a name the dashboard needs.
 */
const BACKEND = ['local_address', 'local_port', 'remote_address', 'remote_port', 'proto', 'local_mark'];
const SERVICE = ['local_address', 'local_port', 'proto', 'local_mark'];
const VRRP = ['iname', 'intf', 'vrid'];

export const DASHBOARD_METRICS: Readonly<Record<string, readonly string[]>> = {
  node_ipvs_connections_total: [],
  node_ipvs_incoming_packets_total: [],
  node_ipvs_outgoing_packets_total: [],
  node_ipvs_incoming_bytes_total: [],
  node_ipvs_outgoing_bytes_total: [],
  node_ipvs_backend_connections_active: BACKEND,
  node_ipvs_backend_connections_inactive: BACKEND,
  node_ipvs_backend_weight: BACKEND,
  keepalived_vrrp_state: [...VRRP, 'ip_address'],
  keepalived_advertisements_received_total: VRRP,
  keepalived_become_master_total: VRRP,
  lvsd_vrrp_rejected_adverts_total: [...VRRP, 'reason'],
  lvsd_backend_up: BACKEND,
  lvsd_checker_transitions_total: [...BACKEND, 'checker'],
  lvsd_service_quorum_up: SERVICE,
  lvsd_conntable_entries: [],
  lvsd_conntable_capacity: [],
  lvsd_conntable_evictions_total: [],
  lvsd_reconcile_operations_total: ['outcome'],
  lvsd_drift_repairs_total: [],
};
