/** Beyond the last position: larger than any sum, so a search never steps there. */
const PAST_END = 2 ** 52;

/**
 * A Fenwick (binary indexed) tree of non-negative integer weights by list position: point updates,
 * the total, and "first position whose running sum reaches x", each O(log n).
 */
export class Fenwick {
  private tree = new Float64Array(3);
  private n = 0;
  private top = 1;
  total = 0;

  reset(n: number): void {
    this.n = n;
    this.total = 0;
    this.top = 1;
    while (this.top * 2 <= n) this.top *= 2;
    // Padded to 2 * top so the search needs no bounds test.
    this.tree = new Float64Array(2 * this.top + 1).fill(PAST_END);
    this.tree.fill(0, 0, n + 1);
  }

  add(i: number, delta: number): void {
    this.total += delta;
    for (let x = i + 1; x <= this.n; x += x & -x) this.tree[x] += delta;
  }

  /** The first position p with weight(0..p) >= x, for 1 <= x <= total. */
  lowerBound(x: number): number {
    const tree = this.tree;
    let pos = 0;
    for (let step = this.top; step > 0; step >>= 1) {
      // Arithmetic instead of a branch: each step's direction is a coin toss for the predictor.
      const v = tree[pos + step];
      const take = +(v < x);
      pos += take * step;
      x -= take * v;
    }
    return pos;
  }
}
