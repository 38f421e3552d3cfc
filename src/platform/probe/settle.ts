/**
 * The end of one datagram attempt (UDP, DNS, ICMP): the first of a verdict, the timer or the abort wins,
 * the socket is released once, and nothing later can resolve the attempt again.
 */
import type { ProbeResult } from '../../ports/prober.js';
import { aborted } from './errors.js';

export interface Settle {
  finish(r: ProbeResult): void;
  /** Starts the wait: after ms, onTimeout's result ends the attempt. */
  arm(ms: number, onTimeout: () => ProbeResult): void;
  readonly done: boolean;
}

export function settle(signal: AbortSignal, release: () => void, resolve: (r: ProbeResult) => void): Settle {
  let timer: NodeJS.Timeout | undefined;
  const onAbort = (): void => s.finish(aborted());
  const s = {
    done: false,
    finish(r: ProbeResult): void {
      if (s.done) return;
      s.done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      release();
      resolve(r);
    },
    arm(ms: number, onTimeout: () => ProbeResult): void {
      if (!s.done) timer = setTimeout(() => s.finish(onTimeout()), ms);
    },
  };
  if (signal.aborted) s.finish(aborted());
  else signal.addEventListener('abort', onAbort);
  return s;
}
