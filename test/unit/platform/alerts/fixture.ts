/** A keepalived.conf with mail settings, read by the real config reader, for the alert tests. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KeepalivedConfig } from '../../../../src/model/config.js';
import { loadConfig } from '../../../../src/daemon/config-source.js';

export function alertConfig(dir: string, globals: string, rsExtra = ''): KeepalivedConfig {
  const file = path.join(dir, 'keepalived.conf');
  writeFileSync(file, `global_defs {
  router_id lb1
${globals}
}
vrrp_instance VI_1 {
  interface lo
  virtual_router_id 51
  priority 100
  virtual_ipaddress { 192.0.2.10 }
}
virtual_server 192.0.2.10 80 {
  protocol TCP
  real_server 198.51.100.7 8080 {
${rsExtra}
  }
}
`);
  const loaded = loadConfig(file, 'lb1');
  if (!loaded.config) throw new Error(`fixture config rejected: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.config;
}
