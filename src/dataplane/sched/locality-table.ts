import { hash32 } from './hash.js';

/** CHECK_EXPIRE_INTERVAL: the periodic timer in ip_vs_lblc.c / ip_vs_lblcr.c. */
export const CHECK_EXPIRE_INTERVAL = 60_000;
/** ENTRY_TIMEOUT: idle age past which the partial collection may drop an entry. */
export const ENTRY_TIMEOUT = 6 * 60_000;
/** DEFAULT_EXPIRATION: lblc_expiration / lblcr_expiration sysctl default. */
export const DEFAULT_EXPIRATION = 24 * 60 * 60_000;
/** COUNT_FOR_FULL_EXPIRATION: every 30th quiet tick runs the full check. */
const COUNT_FOR_FULL_EXPIRATION = 30;
/** CONFIG_IP_VS_LBLC_TAB_BITS / CONFIG_IP_VS_LBLCR_TAB_BITS default 10. */
const TAB_BITS = 10;
const TAB_SIZE = 1 << TAB_BITS;
const TAB_MASK = TAB_SIZE - 1;
/** tbl->max_size = IP_VS_LBLC_TAB_SIZE * 16. */
const MAX_SIZE = TAB_SIZE * 16;

/** The cache key of a destination address: the IPv4 address itself, or an IPv6 address's text. */
export type LocalityKey = number | string;

/** The key for a packet's destination (see SchedPacket.dstV6). */
export function localityKey(dstFold: number, dstV6: string | undefined): LocalityKey {
  return dstV6 ?? dstFold;
}

/** An entry of the per-destination-address cache. */
export interface LocalityEntry {
  /** The whole destination address the entry is for. */
  readonly key: LocalityKey;
  /** Its ip_vs_addr_fold, which picks the hash bucket (and so the order the collection walks). */
  readonly fold: number;
  /** ms of the last lookup that hit it (en->lastuse). */
  lastuse: number;
}

/**
 * The lblc/lblcr cache of destination address → entry, with the kernel's garbage collection replayed
 * from packet time: the periodic timer (every 60 s from service start) either runs the full check
 * (every 30th tick, dropping entries idle for the expiration) or, when the table holds more than
 * 16 × 1024 entries, drops entries idle over 6 minutes bucket by bucket from a rover until it has
 * removed (entries - max) * 4/3 of them. Bucket order follows the kernel's hash so the same entries go.
 *
 * Keyed by the whole address and bucketed by hash_32 of its fold, as ip_vs_lblc_get hashes by the fold but
 * compares full addresses: two IPv6 destinations that fold alike share a bucket, never an entry.
 */
export class LocalityTable<E extends LocalityEntry> {
  private readonly map = new Map<LocalityKey, E>();
  private readonly buckets: E[][] = Array.from({ length: TAB_SIZE }, () => []);
  private nextTick: number;
  private rover = 0;
  private counter = 1;

  constructor(startedAt: number | undefined, private readonly expiration: number) {
    this.nextTick = startedAt === undefined ? NaN : startedAt + CHECK_EXPIRE_INTERVAL;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: LocalityKey): E | undefined {
    return this.map.get(key);
  }

  add(e: E): void {
    this.map.set(e.key, e);
    this.buckets[hash32(e.fold, TAB_BITS)].push(e);
  }

  /** Runs the timer ticks due by `now`; a tick at exactly `now` runs before the packet. */
  advance(now: number): void {
    if (Number.isNaN(this.nextTick)) this.nextTick = now + CHECK_EXPIRE_INTERVAL;
    while (this.nextTick <= now) {
      this.tick(this.nextTick);
      this.nextTick += CHECK_EXPIRE_INTERVAL;
    }
  }

  /** ip_vs_lblc_check_expire / ip_vs_lblcr_check_expire. */
  private tick(now: number): void {
    if (this.counter % COUNT_FOR_FULL_EXPIRATION === 0) {
      this.sweep(now, this.expiration, Infinity);
      this.counter = 1;
      return;
    }
    if (this.map.size <= MAX_SIZE) {
      this.counter++;
      return;
    }
    const goal = Math.min(Math.trunc(((this.map.size - MAX_SIZE) * 4) / 3), Math.trunc(MAX_SIZE / 2));
    this.sweep(now, ENTRY_TIMEOUT, goal);
  }

  /** Walks every bucket from the one after the rover, dropping entries idle `age` or more; stops after
   *  the bucket where `goal` removals are reached. The rover stays at the last bucket walked. */
  private sweep(now: number, age: number, goal: number): void {
    let j = this.rover;
    for (let i = 0; i < TAB_SIZE; i++) {
      j = (j + 1) & TAB_MASK;
      const bucket = this.buckets[j];
      let kept = 0;
      for (const e of bucket) {
        // time_before(now, lastuse + age) keeps the entry.
        if (now < e.lastuse + age) bucket[kept++] = e;
        else {
          this.map.delete(e.key);
          goal--;
        }
      }
      bucket.length = kept;
      if (goal <= 0) break;
    }
    this.rover = j;
  }
}
