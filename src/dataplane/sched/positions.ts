import type { SchedDest } from './types.js';

/**
 * Destination id → list position. Ids are small counters in practice, so a typed array indexed by id
 * answers in a couple of ns; an id too large for a dense array falls back to a Map (~10 ns).
 */
export class Positions {
  private dense = new Int32Array(0);
  private readonly sparse = new Map<number, number>();

  /** Forgets every id; sizes the dense part for the largest id of `dests` when that stays compact. */
  reset(dests: readonly SchedDest[]): void {
    this.sparse.clear();
    let maxId = -1;
    for (const d of dests) maxId = Math.max(maxId, d.id);
    const want = maxId < 4 * dests.length + 1024 ? maxId + 1 : 0;
    if (this.dense.length !== want) this.dense = new Int32Array(want);
    this.dense.fill(-1);
  }

  set(id: number, pos: number): void {
    if (id >= 0 && id < this.dense.length) this.dense[id] = pos;
    else this.sparse.set(id, pos);
  }

  /** The position of id, or -1. */
  get(id: number): number {
    if (id >= 0 && id < this.dense.length) return this.dense[id];
    return this.sparse.get(id) ?? -1;
  }
}
