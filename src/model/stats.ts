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
