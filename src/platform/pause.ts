import type { Pause } from '../ports/pause.js';

/** A real turn of the event loop: setImmediate runs after the I/O callbacks already due (relays, lvsadm). */
export const eventLoopTurn: Pause = () => new Promise<void>((resolve) => setImmediate(resolve));
