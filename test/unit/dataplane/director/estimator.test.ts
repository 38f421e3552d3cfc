import t from 'tap';
import { RateEstimator } from '../../../../src/dataplane/director/estimator.js';
import { zeroCounters } from '../../../../src/model/stats.js';

t.test('converges like ip_vs_est.c with its fixed-point rounding', async (t) => {
  const c = zeroCounters();
  const e = new RateEstimator(c);
  const seen: number[] = [];
  for (let i = 0; i < 4; i++) {
    c.conns += 10; // 5 connections per second over each 2-second period
    e.sample(c);
    seen.push(e.rates().cps);
  }
  // cps scaled by 2^10: 1280, 2240, 2960, 3500 → (x + 511) >> 10
  t.same(seen, [1, 2, 3, 3]);
});

t.test('bytes use the 2^5 scale; packets the 2^10 scale', async (t) => {
  const c = zeroCounters();
  const e = new RateEstimator(c);
  c.inBytes = 2000; // 1000 B/s → rate 32000, avg 8000 → (8000 + 15) >> 5 = 250
  c.outPkts = 40; // 20 p/s → rate 20480, avg 5120 → (5120 + 511) >> 10 = 5
  e.sample(c);
  t.equal(e.rates().inBps, 250);
  t.equal(e.rates().outPps, 5);
  t.equal(e.rates().outBps, 0);
});

t.test('falls back when traffic stops and resets to zero', async (t) => {
  const c = zeroCounters();
  const e = new RateEstimator(c);
  c.conns = 400;
  e.sample(c); // 200 conn/s: rate 400 << 9 = 204800, avg 51200 → (51200 + 511) >> 10 = 50
  t.equal(e.rates().cps, 50);
  e.sample(c); // avg 51200 + floor(-51200 / 4) = 38400 → (38400 + 511) >> 10 = 37
  t.equal(e.rates().cps, 37);
  e.reset(c);
  t.equal(e.rates().cps, 0);
  e.sample(c);
  t.equal(e.rates().cps, 0, 'no delta after reset');
});
