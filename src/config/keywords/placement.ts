/**
 * Where block keywords belong. keepalived only says "unknown keyword" when, say, a real_server block sits
 * outside a virtual_server, and silently drops its contents; lvsd makes a misplaced block an error.
 */
const CHECKER_HOME = 'a real_server block';

export const PLACEMENT: Readonly<Record<string, string>> = {
  real_server: 'a virtual_server block',
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
  url: 'an HTTP_GET or SSL_GET block',
  host: 'an SMTP_CHECK block',
  virtual_ipaddress: 'a vrrp_instance block',
  virtual_ipaddress_excluded: 'a vrrp_instance block',
  unicast_peer: 'a vrrp_instance block',
  authentication: 'a vrrp_instance block',
  track_script: 'a vrrp_instance or vrrp_sync_group block',
  track_interface: 'a vrrp_instance or vrrp_sync_group block',
  track_process: 'a vrrp_instance or vrrp_sync_group block',
  group: 'a vrrp_sync_group block',
  notification_email: 'the global_defs block',
  virtual_server: 'the top level of the configuration',
  virtual_server_group: 'the top level of the configuration',
  vrrp_instance: 'the top level of the configuration',
  vrrp_sync_group: 'the top level of the configuration',
  vrrp_script: 'the top level of the configuration',
  global_defs: 'the top level of the configuration',
};
