import type { Counters, Rates } from '../../model/stats.js';

/** The kernel samples every 2 seconds (ip_vs_est.c estimation_timer). */
export const ESTIMATOR_PERIOD_MS = 2000;

/**
 * IPVS's rate estimator with the kernel's fixed-point arithmetic (net/netfilter/ipvs/ip_vs_est.c):
 * every 2 s, rate = delta << 9 (conns, packets: per second scaled by 2^10) or delta << 4 (bytes: scaled
 * by 2^5), then avg += (rate - avg) >> 2 (s64 arithmetic shift, so floor). Read back as
 * (avg + 0x1FF) >> 10 and (avg + 0xF) >> 5 (ip_vs_read_estimator). Values stay below 2^53, so plain
 * numbers are exact.
 */
export class RateEstimator {
  private last: Counters;
  private cps = 0;
  private inPps = 0;
  private outPps = 0;
  private inBps = 0;
  private outBps = 0;

  constructor(start: Counters) {
    this.last = { ...start };
  }

  /** One 2-second sample of the cumulative counters. */
  sample(c: Counters): void {
    this.cps = step(this.cps, (c.conns - this.last.conns) * 512);
    this.inPps = step(this.inPps, (c.inPkts - this.last.inPkts) * 512);
    this.outPps = step(this.outPps, (c.outPkts - this.last.outPkts) * 512);
    this.inBps = step(this.inBps, (c.inBytes - this.last.inBytes) * 16);
    this.outBps = step(this.outBps, (c.outBytes - this.last.outBytes) * 16);
    this.last = { ...c };
  }

  /** ipvs "zero" resets the estimator along with the counters (ip_vs_zero_stats → ip_vs_zero_estimator). */
  reset(c: Counters): void {
    this.last = { ...c };
    this.cps = this.inPps = this.outPps = this.inBps = this.outBps = 0;
  }

  rates(): Rates {
    return {
      cps: Math.floor((this.cps + 0x1ff) / 1024),
      inPps: Math.floor((this.inPps + 0x1ff) / 1024),
      outPps: Math.floor((this.outPps + 0x1ff) / 1024),
      inBps: Math.floor((this.inBps + 0xf) / 32),
      outBps: Math.floor((this.outBps + 0xf) / 32),
    };
  }
}

function step(avg: number, rate: number): number {
  return avg + Math.floor((rate - avg) / 4);
}
