// Test helper: VRRP instances and sync groups from keepalived.conf text, through the real config builder.
import type { VrrpInstance, VrrpSyncGroup } from '../../../src/model/config-vrrp.js';
import type { KeepalivedConfig } from '../../../src/model/config.js';
import { build } from '../config/fixtures/build.js';

export interface Vrrp {
  readonly config: KeepalivedConfig;
  readonly instance: (name: string) => VrrpInstance;
  readonly groups: readonly VrrpSyncGroup[];
}

export function vrrpConf(text: string): Vrrp {
  const r = build(text);
  if (r.errors.length) throw new Error(`test config rejected: ${r.text('error').join('; ')}`);
  const instance = (name: string) => {
    const i = r.config.vrrpInstances.find((x) => x.name === name);
    if (!i) throw new Error(`no vrrp_instance ${name}`);
    return i;
  };
  return { config: r.config, instance, groups: r.config.vrrpSyncGroups };
}

/** One vrrp_instance block; `body` lines go inside. */
export const instanceConf = (name: string, vrid: number, body: string, vips = '10.213.0.100') =>
  `vrrp_instance ${name} {\n interface eth0\n virtual_router_id ${vrid}\n virtual_ipaddress {\n${vips.split(' ').map((v) => `  ${v}`).join('\n')}\n }\n${body}\n}\n`;
