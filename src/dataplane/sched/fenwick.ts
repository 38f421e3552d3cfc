/**
 * A Fenwick (binary indexed) tree of non-negative integer weights by list position: point updates,
 * the total, and "first position whose running sum reaches x", each O(log n).
 */
export class Fenwick {
  private tree = new Float64Array(1);
  private n = 0;
  private top = 1;
  total = 0;

  reset(n: number): void {
    this.n = n;
    this.tree = new Float64Array(n + 1);
    this.total = 0;
    this.top = 1;
    while (this.top * 2 <= n) this.top *= 2;
  }

  add(i: number, delta: number): void {
    this.total += delta;
    for (let x = i + 1; x <= this.n; x += x & -x) this.tree[x] += delta;
  }

  /** The first position p with weight(0..p) >= x, for 1 <= x <= total. */
  lowerBound(x: number): number {
    let pos = 0;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && this.tree[next] < x) {
        pos = next;
        x -= this.tree[next];
      }
    }
    return pos;
  }
}
