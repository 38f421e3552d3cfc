import type { VirtualServer } from '../model/config.js';

/**
 * ha_suspend (keepalived check/check_api.c update_checker_activity): a virtual server's checkers pause while this
 * director does not hold the service's virtual IP. VRRP answers this once it is wired; until then `alwaysHeld`.
 */
export type VipHeld = (vs: VirtualServer) => boolean;

export const alwaysHeld: VipHeld = () => true;
