/**
 * Where block keywords belong. keepalived only says "unknown keyword" when, say, a real_server block sits
 * outside a virtual_server, and silently drops its contents; lvsd makes a misplaced block an error.
 */
const CHECKER_HOME = 'inside a real_server block';

export const PLACEMENT: Readonly<Record<string, string>> = {
  real_server: 'inside a virtual_server block',
  TCP_CHECK: CHECKER_HOME,
  HTTP_GET: CHECKER_HOME,
  SSL_GET: CHECKER_HOME,
  SMTP_CHECK: CHECKER_HOME,
  DNS_CHECK: CHECKER_HOME,
  MISC_CHECK: CHECKER_HOME,
  UDP_CHECK: CHECKER_HOME,
  PING_CHECK: CHECKER_HOME,
  FILE_CHECK: CHECKER_HOME,
  BFD_CHECK: CHECKER_HOME,
  url: 'inside an HTTP_GET or SSL_GET block',
  host: 'inside an SMTP_CHECK block',
  virtual_ipaddress: 'inside a vrrp_instance block',
  virtual_ipaddress_excluded: 'inside a vrrp_instance block',
  unicast_peer: 'inside a vrrp_instance block',
  authentication: 'inside a vrrp_instance block',
  track_script: 'inside a vrrp_instance or vrrp_sync_group block',
  track_interface: 'inside a vrrp_instance or vrrp_sync_group block',
  track_process: 'inside a vrrp_instance or vrrp_sync_group block',
  group: 'inside a vrrp_sync_group block',
  notification_email: 'inside the global_defs block',
  virtual_server: 'at the top level',
  virtual_server_group: 'at the top level',
  vrrp_instance: 'at the top level',
  vrrp_sync_group: 'at the top level',
  vrrp_script: 'at the top level',
  global_defs: 'at the top level',
};
