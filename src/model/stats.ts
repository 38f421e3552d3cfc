/** Cumulative counters, as IPVS keeps them per service, per real server and in total. */
export interface Counters {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

/** Estimated rates (per second), as IPVS's 2-second estimator reports them. */
export interface Rates {
  cps: number;
  inPps: number;
  outPps: number;
  inBps: number;
  outBps: number;
}

export function zeroCounters(): Counters {
  return { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
}

export function zeroRates(): Rates {
  return { cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 };
}

/**
 * Zero counters and rates to share where none were read: a listing of 110,000 real servers must not make a
 * pair each. Frozen, as nothing writes a snapshot's counters.
 */
export const NO_STATS: { readonly stats: Counters; readonly rates: Rates } = Object.freeze({
  stats: Object.freeze(zeroCounters()),
  rates: Object.freeze(zeroRates()),
});
