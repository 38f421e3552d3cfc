import { randomBytes } from 'node:crypto';
import type { Random } from '../ports/random.js';

/** prandom_u32 from a refilled pool of crypto bytes: cheap per call, never predictable. */
export function systemRandom(): Random {
  let pool = randomBytes(4096);
  let at = 0;
  return () => {
    if (at + 4 > pool.length) {
      pool = randomBytes(4096);
      at = 0;
    }
    const v = pool.readUInt32LE(at);
    at += 4;
    return v;
  };
}
