import type { VirtualIp } from '../model/config-vrrp.js';

/**
 * Putting a VRRP instance's virtual addresses on the system and taking them off (keepalived vrrp_ipaddress.c
 * netlink_iplist). Both are idempotent — an address already present counts as added, one already absent as
 * removed — so a retry, a reload or a restart never fails on what is already so. Every address is tried; the
 * failures are reported together, each naming its config line.
 */
export interface VipPort {
  /** `defaultDev`: the instance's interface, for entries without `dev`. */
  add(vips: readonly VirtualIp[], defaultDev: string | null): Promise<void>;
  remove(vips: readonly VirtualIp[], defaultDev: string | null): Promise<void>;
}
