/**
 * How lvsadm's table (a TablePort: the daemon over its control socket in client.ts, the kernel directly in
 * kernel-backend.ts, an in-memory table in tests) fails as lvsadm reports it.
 */

/** A failed operation as the control socket's wire carries it: a kernel errno name and a sentence. */
export interface OpError {
  readonly errno?: string;
  readonly message: string;
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
