/**
 * How lvsadm's table (a TablePort: the daemon over its control socket in client.ts, the kernel directly in
 * kernel-backend.ts, an in-memory table in tests) fails as lvsadm reports it.
 */
import type { OpError } from '../control/protocol.js';

export type { OpError } from '../control/protocol.js';

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
