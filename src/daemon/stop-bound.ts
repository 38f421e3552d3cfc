/**
 * SIGTERM to exit takes at most this long (issue 11: a stop once waited for the last client, 47 s and up to
 * the 900 s TCP timeout). The proxy plane closes its relays as it closes, so a stop normally takes
 * milliseconds; the bound covers a pass of table work still running. deploy/systemd/lvsd.service allows
 * TimeoutStopSec=10: this bound plus time to flush the log and exit.
 */
export const STOP_BOUND_MS = 5000;

/** Runs `work` for at most `ms`: true when it finished in time, false when the bound passed first. */
export async function withinBound(work: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
