import { FlowKey } from './flow-key.js';
import { M_IN_USE, M_KEY, M_UNHASHED, NIL, W_ADDR, W_META, W_NEXT, W_PORTS, strideFor } from './layout.js';
import type { WheelRows } from './timer-wheel.js';

/** Largest row count: ids + 1 must leave at least 3 tag bits in an index cell. */
export const MAX_ROWS = 1 << 28;
const MAX_LOAD = 0.75;
const TAG_MIX = 0x9e3779b1;

/**
 * Rows of one address family (Int32Array, `stride` words each, see layout.ts) plus an
 * open-addressing hash index over them. The index is an Int32Array of cells `tag | (id + 1)`
 * (0 = empty): linear probing, the tag (hash bits above the id bits) rejects most foreign cells
 * without touching their row, and deletion shifts the cluster back (no tombstones), so probe
 * lengths depend only on the load (≤ 0.75). Ids are stable: growth copies rows and rebuilds the
 * index, so the wheel's links and the template links stay valid.
 */
export class FlowStore implements WheelRows {
  data: Int32Array;
  readonly stride: number;
  /** Rows in use (hashed or not). */
  live = 0;
  private index: Int32Array;
  private mask: number;
  private readonly idMask: number;
  private readonly tagMask: number;
  private rows: number;
  /** Rows ever handed out; ids below it are in use or on the free list. */
  private highWater = 0;
  private freeHead = NIL;
  private readonly scratch = new FlowKey();
  /** findMany's per-key hash and home cell. */
  private batch = new Int32Array(0);

  constructor(readonly addrWords: 1 | 4, readonly maxRows: number, initialRows: number, private readonly seed: number) {
    if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > MAX_ROWS) throw new RangeError(`capacity must be 1..${MAX_ROWS}`);
    this.stride = strideFor(addrWords);
    const idBits = 32 - Math.clz32(maxRows);
    this.idMask = idBits >= 32 ? -1 : (1 << idBits) - 1;
    this.tagMask = ~this.idMask;
    this.rows = Math.max(1, Math.min(maxRows, Math.floor(initialRows)));
    this.data = new Int32Array(this.rows * this.stride);
    this.index = new Int32Array(indexCells(this.rows));
    this.mask = this.index.length - 1;
  }

  /** Bytes held by the rows and the index. */
  get bytes(): number {
    return this.data.byteLength + this.index.byteLength;
  }

  /** Ids below this may be in use (for iteration: check M_IN_USE). */
  get idLimit(): number {
    return this.highWater;
  }

  find(k: FlowKey): number {
    const h = this.hash(k);
    const want = Math.imul(h, TAG_MIX) & this.tagMask;
    const idx = this.index;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const c = idx[i];
      if (c === 0) return -1;
      if ((c & this.tagMask) === want) {
        const id = (c & this.idMask) - 1;
        if (this.rowMatches(id, k)) return id;
      }
    }
  }

  /**
   * find() for the keys of this store's family among keys[0..n) (others are skipped): first every
   * key's hash and home cell, then the rows. The loads of one pass do not depend on each other, so
   * the CPU overlaps their cache misses instead of waiting out each in turn. out[i] = id or -1.
   */
  findMany(keys: readonly FlowKey[], n: number, out: Int32Array): void {
    if (this.batch.length < 2 * n) this.batch = new Int32Array(2 * n);
    const b = this.batch;
    const idx = this.index;
    const mask = this.mask;
    const af = this.addrWords === 1 ? 4 : 6;
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (k.af !== af) continue;
      const h = this.hash(k);
      b[2 * i] = h;
      b[2 * i + 1] = idx[h & mask];
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (k.af !== af) continue;
      const c = b[2 * i + 1];
      if (c === 0) { out[i] = -1; continue; }
      const id = (c & this.idMask) - 1;
      const first = (c & this.tagMask) === (Math.imul(b[2 * i], TAG_MIX) & this.tagMask) && this.rowMatches(id, k);
      out[i] = first ? id : this.find(k);
    }
  }

  /** A free row id (its words are stale: the caller writes them all), or -1 at maxRows. May grow `data`. */
  alloc(): number {
    let id = this.freeHead;
    if (id !== NIL) {
      this.freeHead = this.data[id * this.stride + W_NEXT];
    } else {
      if (this.highWater === this.rows) {
        if (this.rows === this.maxRows) return -1;
        this.grow(Math.min(this.maxRows, this.rows * 2));
      }
      id = this.highWater++;
    }
    this.live++;
    return id;
  }

  /** Returns a row to the free list; it must be out of the index and the wheel already. */
  free(id: number): void {
    const o = id * this.stride;
    this.data[o + W_META] = 0;
    this.data[o + W_NEXT] = this.freeHead;
    this.freeHead = id;
    this.live--;
  }

  /** Writes a fresh row's key; W_META is set to the key bits alone (the caller adds its flags). */
  writeKey(id: number, k: FlowKey): void {
    const d = this.data;
    const o = id * this.stride;
    const aw = this.addrWords;
    d[o + W_META] = k.meta & M_KEY;
    d[o + W_PORTS] = k.ports;
    for (let w = 0; w < aw; w++) {
      d[o + W_ADDR + w] = k.c[w];
      d[o + W_ADDR + aw + w] = k.v[w];
    }
  }

  /** Copies a row's key out (listing, rehash). */
  readKey(id: number, out: FlowKey): FlowKey {
    const d = this.data;
    const o = id * this.stride;
    const aw = this.addrWords;
    out.af = aw === 1 ? 4 : 6;
    out.meta = d[o + W_META] & M_KEY;
    out.ports = d[o + W_PORTS];
    out.c.fill(0);
    out.v.fill(0);
    for (let w = 0; w < aw; w++) {
      out.c[w] = d[o + W_ADDR + w];
      out.v[w] = d[o + W_ADDR + aw + w];
    }
    return out;
  }

  /** Adds a row (key written, not already present) to the index. */
  hashInsert(id: number): void {
    const h = this.hash(this.readKey(id, this.scratch));
    const idx = this.index;
    const mask = this.mask;
    let i = h & mask;
    while (idx[i] !== 0) i = (i + 1) & mask;
    idx[i] = (Math.imul(h, TAG_MIX) & this.tagMask) | (id + 1);
  }

  /** Removes a row from the index by backward-shift deletion. */
  hashDelete(id: number): void {
    const idx = this.index;
    const mask = this.mask;
    let hole = this.hash(this.readKey(id, this.scratch)) & mask;
    while ((idx[hole] & this.idMask) !== id + 1) hole = (hole + 1) & mask;
    for (let j = (hole + 1) & mask; idx[j] !== 0; j = (j + 1) & mask) {
      const c = idx[j];
      const home = this.hash(this.readKey((c & this.idMask) - 1, this.scratch)) & mask;
      // The cell may move back into the hole unless its home lies in (hole, j].
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        idx[hole] = c;
        hole = j;
      }
    }
    idx[hole] = 0;
  }

  /** Occupied index cells: equals the hashed rows, as deletion leaves no tombstones (diagnostics, tests). */
  occupiedCells(): number {
    let n = 0;
    for (let i = 0; i < this.index.length; i++) if (this.index[i] !== 0) n++;
    return n;
  }

  /** The index cell a key hashes to first (tests use it to build collisions). */
  home(k: FlowKey): number {
    return this.hash(k) & this.mask;
  }

  private rowMatches(id: number, k: FlowKey): boolean {
    const d = this.data;
    const o = id * this.stride;
    if (d[o + W_PORTS] !== k.ports || (d[o + W_META] & M_KEY) !== k.meta) return false;
    const aw = this.addrWords;
    if (aw === 1) return d[o + W_ADDR] === k.c[0] && d[o + W_ADDR + 1] === k.v[0];
    for (let w = 0; w < aw; w++) {
      if (d[o + W_ADDR + w] !== k.c[w] || d[o + W_ADDR + aw + w] !== k.v[w]) return false;
    }
    return true;
  }

  private hash(k: FlowKey): number {
    return flowHash(this.seed, k, this.addrWords);
  }

  private grow(rows: number): void {
    const data = new Int32Array(rows * this.stride);
    data.set(this.data);
    this.data = data;
    this.rows = rows;
    const cells = indexCells(rows);
    if (cells === this.index.length) return;
    this.index = new Int32Array(cells);
    this.mask = cells - 1;
    for (let id = 0; id < this.highWater; id++) {
      const m = data[id * this.stride + W_META];
      if ((m & M_IN_USE) !== 0 && (m & M_UNHASHED) === 0) this.hashInsert(id);
    }
  }
}

/** MurmurHash3-style mixing of the key words with a seed (the kernel keys jhash with ip_vs_conn_rnd). */
function flowHash(seed: number, k: FlowKey, addrWords: number): number {
  let h = mix(mix(seed, k.meta), k.ports);
  if (addrWords === 1) h = mix(mix(h, k.c[0]), k.v[0]);
  else for (let w = 0; w < 4; w++) h = mix(mix(h, k.c[w]), k.v[w]);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function mix(h: number, k: number): number {
  let x = Math.imul(k, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  x = Math.imul(x, 0x1b873593);
  let y = h ^ x;
  y = (y << 13) | (y >>> 19);
  return (Math.imul(y, 5) + 0xe6546b64) | 0;
}

/** Index size for `rows` rows: a power of two keeping the load at or under MAX_LOAD. */
function indexCells(rows: number): number {
  let n = 16;
  while (n * MAX_LOAD < rows) n *= 2;
  return n;
}
