/**
 * What lvsadm needs from whoever holds the table: the daemon over its control socket (client.ts), an
 * in-memory table in tests (src/testing/memory-backend.ts), later the kernel directly.
 */
import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import type { OpError } from '../control/protocol.js';

export type { OpError } from '../control/protocol.js';

/** ops are applied in order until one fails; those before it stay applied. */
export type ApplyResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly index: number; readonly error: OpError };

/**
 * What a read will print, so a backend may fetch less: 'settings' timeouts, daemons and version (services may
 * be left out); 'table' what -L and -S print (real servers' counters, rates, thresholds and persistent
 * counts may be 0); 'full' everything.
 */
export type SnapshotNeed = 'settings' | 'table' | 'full';

export interface Backend {
  apply(ops: readonly TableOp[]): Promise<ApplyResult>;
  snapshot(need?: SnapshotNeed): Promise<TableSnapshot>;
  connections(): Promise<readonly ConnEntry[]>;
}

/** The backend cannot be reached at all (no daemon, socket refused, broken reply): lvsadm stops with one line. */
export class BackendUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailable';
  }
}

/** The backend answered a read (snapshot, connections) with an error. */
export class BackendError extends Error {
  constructor(readonly error: OpError) {
    super(error.message);
    this.name = 'BackendError';
  }
}
