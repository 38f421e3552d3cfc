import { DETACHED, NIL, W_EXP, W_NEXT, W_PREV, WHEEL_HEAD } from './layout.js';

/** The rows the wheel links through (a FlowStore); `data` may be replaced when the store grows. */
export interface WheelRows {
  readonly data: Int32Array;
  readonly stride: number;
}

/** Called for a record whose time has come, already out of the wheel: free it, or set W_EXP and insert it again. */
export type FireFn = (id: number, now: number) => void;

const BITS = 8;
const SLOTS = 1 << BITS;
const LEVELS = 4;

/**
 * A hierarchical timing wheel at 1 ms resolution: 4 levels of 256 slots cover the 2^31 ms a
 * timeout may span. Records hang in intrusive doubly-linked lists (W_PREV/W_NEXT), so unlinking is
 * O(1). Re-arming to a later time only rewrites W_EXP: the record stays where it is and is filed
 * again when its old slot comes up, so a packet costs one store; moving earlier re-files at once.
 * Invariant: a record's slot fires at or before its W_EXP.
 */
export class TimerWheel {
  private readonly heads = new Int32Array(LEVELS * SLOTS).fill(NIL);
  /** Non-empty slots per level, to skip idle stretches of time in O(1). */
  private readonly busy = new Int32Array(LEVELS);
  /** The next millisecond not yet processed. */
  private cur: number;

  constructor(private readonly rows: WheelRows, start: number) {
    this.cur = Math.floor(start);
  }

  /** Files a record by its W_EXP (an overdue one fires on the next advance). */
  insert(id: number): void {
    const d = this.rows.data;
    const o = id * this.rows.stride;
    let delta = (d[o + W_EXP] - (this.cur | 0)) | 0;
    if (delta < 0) delta = 0;
    const fire = ((this.cur | 0) + delta) >>> 0;
    let b: number;
    if (delta < 1 << 8) b = fire & 255;
    else if (delta < 1 << 16) b = SLOTS + ((fire >>> 8) & 255);
    else if (delta < 1 << 24) b = 2 * SLOTS + ((fire >>> 16) & 255);
    else b = 3 * SLOTS + (fire >>> 24);
    const h = this.heads[b];
    d[o + W_PREV] = WHEEL_HEAD | b;
    d[o + W_NEXT] = h;
    if (h === NIL) this.busy[b >>> BITS]++;
    else d[h * this.rows.stride + W_PREV] = id;
    this.heads[b] = id;
  }

  unlink(id: number): void {
    const d = this.rows.data;
    const s = this.rows.stride;
    const o = id * s;
    const p = d[o + W_PREV];
    if (p === DETACHED) return;
    const n = d[o + W_NEXT];
    if (p >= WHEEL_HEAD) {
      const b = p - WHEEL_HEAD;
      this.heads[b] = n;
      if (n === NIL) this.busy[b >>> BITS]--;
      else d[n * s + W_PREV] = p;
    } else {
      d[p * s + W_NEXT] = n;
      if (n !== NIL) d[n * s + W_PREV] = p;
    }
    d[o + W_PREV] = DETACHED;
    d[o + W_NEXT] = DETACHED;
  }

  /** Sets the expiry of a filed record (absolute ms); lazy when later, re-filed when earlier. */
  rearm(id: number, exp: number): void {
    const d = this.rows.data;
    const o = id * this.rows.stride + W_EXP;
    const e = exp | 0;
    const earlier = ((e - d[o]) | 0) < 0;
    d[o] = e;
    if (earlier) {
      this.unlink(id);
      this.insert(id);
    }
  }

  /** Processes every millisecond up to and including `now`; returns how many records fired. */
  advance(now: number, fire: FireFn): number {
    const target = Math.floor(now);
    let fired = 0;
    while (this.cur <= target) {
      const t = this.cur;
      const tu = t >>> 0;
      if (this.busy[0] === 0) {
        const skipTo = this.skipTarget(t, tu);
        if (skipTo > t) { this.cur = Math.min(skipTo, target + 1); continue; }
      }
      if ((tu & 255) === 0) {
        this.cascade(1, (tu >>> 8) & 255);
        if (((tu >>> 8) & 255) === 0) {
          this.cascade(2, (tu >>> 16) & 255);
          if (((tu >>> 16) & 255) === 0) this.cascade(3, tu >>> 24);
        }
      }
      const b = tu & 255;
      const d = this.rows.data;
      const s = this.rows.stride;
      let id: number;
      while ((id = this.heads[b]) !== NIL) {
        this.unlink(id);
        if (((d[id * s + W_EXP] - (t | 0)) | 0) > 0) {
          this.insert(id);
        } else {
          fired++;
          fire(id, t);
        }
      }
      this.cur = t + 1;
    }
    return fired;
  }

  /**
   * Looking at the first `limit` records in firing-slot order: of those `accept` takes, the one with
   * the nearest W_EXP, or -1. Used to pick an eviction victim; comparing W_EXP corrects for lazy re-arms, which
   * leave extended records in early slots.
   */
  earliest(limit: number, accept: (id: number) => boolean): number {
    const d = this.rows.data;
    const s = this.rows.stride;
    const cu = this.cur >>> 0;
    let seen = 0;
    let best = -1;
    let bestLeft = 0;
    for (let level = 0; level < LEVELS && seen < limit; level++) {
      const start = level === 0 ? cu & 255 : ((cu >>> (BITS * level)) + 1) & 255;
      for (let k = 0; k < SLOTS && seen < limit; k++) {
        let id = this.heads[level * SLOTS + ((start + k) & 255)];
        for (; id !== NIL && seen < limit; id = d[id * s + W_NEXT]) {
          seen++;
          if (!accept(id)) continue;
          const left = (d[id * s + W_EXP] - cu) | 0;
          if (best < 0 || left < bestLeft) { best = id; bestLeft = left; }
        }
      }
    }
    return best;
  }

  /** With level 0 empty: the next millisecond anything can happen, given the lowest busy level. */
  private skipTarget(t: number, tu: number): number {
    let level = 1;
    while (level < LEVELS && this.busy[level] === 0) level++;
    if (level === LEVELS) return Number.POSITIVE_INFINITY;
    const step = 2 ** (BITS * level);
    const off = tu % step;
    return off === 0 ? t : t + (step - off);
  }

  private cascade(level: number, slot: number): void {
    const b = level * SLOTS + slot;
    let id: number;
    while ((id = this.heads[b]) !== NIL) {
      this.unlink(id);
      this.insert(id);
    }
  }
}
