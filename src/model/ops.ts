import type { ServiceId, ServiceSpec, DestSpec } from './service.js';
import type { Timeouts, SyncDaemon } from './table.js';
import type { IpAddr } from './address.js';

/** One change to a service table: what ipvsadm sends the kernel, and what reconcile plans. */
export type TableOp =
  | { readonly op: 'add-service'; readonly spec: ServiceSpec }
  | { readonly op: 'edit-service'; readonly spec: ServiceSpec }
  | { readonly op: 'del-service'; readonly id: ServiceId }
  | { readonly op: 'add-dest'; readonly service: ServiceId; readonly dest: DestSpec }
  | { readonly op: 'edit-dest'; readonly service: ServiceId; readonly dest: DestSpec }
  | { readonly op: 'del-dest'; readonly service: ServiceId; readonly addr: IpAddr; readonly port: number }
  | { readonly op: 'flush' }
  | { readonly op: 'zero'; readonly service?: ServiceId }
  | { readonly op: 'set-timeouts'; readonly timeouts: Timeouts }
  | { readonly op: 'start-daemon'; readonly daemon: SyncDaemon }
  | { readonly op: 'stop-daemon'; readonly state: 'master' | 'backup' };

export type TableOpName = TableOp['op'];
