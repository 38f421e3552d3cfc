import type { IpAddr, Family } from './address.js';
import { addrPort } from './address.js';
import type { Protocol } from './protocol.js';

/** Scheduler flags as IPVS names them (IP_VS_SVC_F_SCHED1..3). */
export interface SchedFlags {
  /** sh-fallback / mh-fallback / flag-1 */
  readonly fallback: boolean;
  /** sh-port / mh-port / flag-2 */
  readonly port: boolean;
  /** flag-3 (no in-tree scheduler reads it) */
  readonly flag3: boolean;
}

export const NO_SCHED_FLAGS: SchedFlags = { fallback: false, port: false, flag3: false };

export function sameSchedFlags(a: SchedFlags, b: SchedFlags): boolean {
  return a.fallback === b.fallback && a.port === b.port && a.flag3 === b.flag3;
}

/** Identity of a virtual service, as IPVS keys it: protocol+address+port, or fwmark+family. */
export type ServiceId =
  | { readonly kind: 'addr'; readonly protocol: Protocol; readonly addr: IpAddr; readonly port: number }
  | { readonly kind: 'fwmark'; readonly fwmark: number; readonly af: Family };

/** Everything `ipvsadm -A/-E` sets on a service. */
export interface ServiceSpec {
  readonly id: ServiceId;
  readonly scheduler: string;
  readonly flags: SchedFlags;
  /** Persistence timeout in seconds; 0 = not persistent. */
  readonly persistence: number;
  /** v4: mask as a host-order u32; v6: prefix length. */
  readonly netmask: number;
  /** One-packet scheduling (UDP and fwmark only). */
  readonly ops: boolean;
  /** Persistence engine name ('' = none). */
  readonly pe: string;
}

export type FwdMethod = 'masq' | 'route' | 'tunnel' | 'local';
export type TunnelType = 'ipip' | 'gue' | 'gre';

/** Everything `ipvsadm -a/-e` sets on a real server. */
export interface DestSpec {
  readonly addr: IpAddr;
  readonly port: number;
  /** 0..65535; 0 quiesces (no new connections, existing ones stay). */
  readonly weight: number;
  readonly fwd: FwdMethod;
  readonly tunType: TunnelType;
  readonly tunPort: number;
  /** 0 nocsum, 1 csum, 2 remcsum (IP_VS_TUNNEL_ENCAP_FLAG_*). */
  readonly tunFlags: number;
  /** Upper connection threshold, 0 = none. */
  readonly uThreshold: number;
  /** Lower connection threshold, 0 = none. */
  readonly lThreshold: number;
}

/** The fields that name a service or a real server; every other field of the spec is a setting (-E / -e). */
export const SERVICE_IDENTITY = ['id'] as const satisfies readonly (keyof ServiceSpec)[];
export const DEST_IDENTITY = ['addr', 'port'] as const satisfies readonly (keyof DestSpec)[];
export type ServiceSetting = Exclude<keyof ServiceSpec, (typeof SERVICE_IDENTITY)[number]>;
export type DestSetting = Exclude<keyof DestSpec, (typeof DEST_IDENTITY)[number]>;

export function serviceFamily(id: ServiceId): Family {
  return id.kind === 'addr' ? id.addr.af : id.af;
}

/** Stable string key of a service identity (map key, log field). */
export function serviceKey(id: ServiceId): string {
  return id.kind === 'addr' ? `${id.protocol}:${addrPort(id.addr, id.port)}` : `fwm:${id.fwmark}:v${id.af}`;
}

export function destKey(addr: IpAddr, port: number): string {
  return addrPort(addr, port);
}

/** Full-host netmask for a family: 255.255.255.255 or /128. */
export function hostMask(af: Family): number {
  return af === 4 ? 0xffffffff : 128;
}
