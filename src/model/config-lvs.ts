/** LVS configuration, normalized (keepalived check/check_parser.c, defaults and inheritance from check_data.c). */
import type { Family, IpAddr } from './address.js';
import type { Checker } from './config-checkers.js';
import type { ScriptSpec, SourceLoc } from './config.js';
import type { Protocol } from './protocol.js';
import type { FwdMethod, SchedFlags, TunnelType } from './service.js';

/** lvs_method / lb_kind: NAT → masq, DR → route, TUN → tunnel (with its encapsulation). */
export interface Forwarding {
  readonly method: Exclude<FwdMethod, 'local'>;
  readonly tunType: TunnelType;
  /** GUE destination port; 0 for ipip/gre. */
  readonly tunPort: number;
  readonly tunCsum: 'nocsum' | 'csum' | 'remcsum';
}

/** How a virtual_server line names its service. */
export type VirtualServerKey =
  | { readonly kind: 'addr'; readonly addr: IpAddr; readonly port: number }
  | { readonly kind: 'fwmark'; readonly fwmark: number }
  | { readonly kind: 'group'; readonly group: string };

/** One address entry of a virtual_server_group, with its range expanded (lowest first). */
export interface GroupAddressRange {
  readonly loc: SourceLoc;
  readonly first: IpAddr;
  readonly last: IpAddr;
  /** 0 = no port (only valid for persistent services). */
  readonly port: number;
  readonly addrs: readonly IpAddr[];
}

export interface GroupFwmark {
  readonly loc: SourceLoc;
  readonly fwmark: number;
  /** null = not given (the family then comes from the virtual server). */
  readonly family: Family | null;
}

export interface VirtualServerGroup {
  readonly loc: SourceLoc;
  readonly name: string;
  readonly ranges: readonly GroupAddressRange[];
  readonly fwmarks: readonly GroupFwmark[];
}

export interface SorryServer {
  readonly addr: IpAddr;
  readonly port: number;
  readonly forwarding: Forwarding;
  readonly inhibit: boolean;
}

export interface RealServer {
  readonly loc: SourceLoc;
  readonly addr: IpAddr;
  /** Port as IPVS gets it: the virtual server's port filled in/forced where keepalived does so. */
  readonly port: number;
  /** 0..2147483647; 0 quiesces. */
  readonly weight: number;
  readonly forwarding: Forwarding;
  readonly inhibitOnFailure: boolean;
  readonly alpha: boolean;
  readonly notifyUp: ScriptSpec | null;
  readonly notifyDown: ScriptSpec | null;
  readonly uthreshold: number;
  readonly lthreshold: number;
  readonly smtpAlert: boolean;
  readonly virtualhost: string | null;
  /** Values the checkers inherited (after VS → RS inheritance). */
  readonly connectTimeout: number;
  readonly delayLoop: number;
  readonly checkers: readonly Checker[];
}

export interface VirtualServer {
  readonly loc: SourceLoc;
  readonly key: VirtualServerKey;
  readonly family: Family;
  /** null for fwmark services (keepalived ignores protocol there). */
  readonly protocol: Protocol | null;
  readonly scheduler: string;
  readonly schedFlags: SchedFlags;
  /** One-packet scheduling (UDP and fwmark only). */
  readonly ops: boolean;
  /** Seconds; 0 = not persistent. */
  readonly persistenceTimeout: number;
  /** As IPVS takes it: v4 a host-order mask, v6 a prefix length. */
  readonly persistenceGranularity: number;
  readonly persistenceEngine: string | null;
  readonly forwarding: Forwarding;
  readonly haSuspend: boolean;
  readonly alpha: boolean;
  readonly omega: boolean;
  /** Total live weight needed for the service to be up, already capped at the real servers' total. */
  readonly quorum: number;
  readonly hysteresis: number;
  readonly quorumUp: ScriptSpec | null;
  readonly quorumDown: ScriptSpec | null;
  readonly sorryServer: SorryServer | null;
  readonly inhibitOnFailure: boolean;
  readonly virtualhost: string | null;
  readonly smtpAlert: boolean;
  readonly delayLoop: number;
  readonly connectTimeout: number;
  readonly realServers: readonly RealServer[];
}

/** The top-level `SSL { password; ca; certificate; key }` block. */
export interface SslContext {
  readonly password: string | null;
  readonly ca: string | null;
  readonly certificate: string | null;
  readonly key: string | null;
}
