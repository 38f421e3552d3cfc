/**
 * A turn of the event loop for long table work (issue 11: a reload of 100,000 real servers must not pause
 * relaying or the control socket above 100 ms). Pure code cannot call setImmediate; it takes this port.
 * platform/pause.ts gives the loop a real turn; tests pass a counting one, or noPause.
 */
export type Pause = () => Promise<void>;

/** For callers with nothing to interleave (lvsd -t, tests): no turn, only a resolved promise. */
export const noPause: Pause = () => Promise.resolve();

/**
 * Units of work (a real server, a service, an op) between two turns. At the ~1–7 µs per unit measured at
 * 100,000 real servers (bench/reload-stall.ts), a slice stays under ~5 ms, leaving room in the 100 ms goal
 * for the young-generation collections the new objects cause (30–70 ms each on a loaded 2-core machine);
 * 2,000 measured 140–160 ms pauses where 500 measured 90–140 ms.
 */
export const SLICE_UNITS = 500;

/**
 * Steps of a long computation: the generator yields how many units it did since its last yield and returns
 * the result. Written once as a generator, it runs either at once (runAll) or in slices (runSliced).
 */
export type Steps<T> = Generator<number, T, void>;

/** Runs every step without a turn (synchronous callers). */
export function runAll<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs the steps, giving the event loop a turn once per `every` units. */
export async function runSliced<T>(steps: Steps<T>, pause: Pause, every = SLICE_UNITS): Promise<T> {
  let since = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    since += r.value;
    if (since >= every) {
      since = 0;
      await pause();
    }
  }
}
