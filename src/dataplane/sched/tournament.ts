/**
 * A tournament (winner) tree over list positions. Each leaf is a destination with a rank num/den, or
 * out of the running; every inner node holds the index of the leaf that wins its subtree. A leaf on the
 * right beats one on the left only when its rank is strictly lower, so the root is the earliest
 * position with the lowest rank: exactly what the kernel's linear scans with a strict `>` (or `<`)
 * return (ip_vs_wlc.c, ip_vs_lc.c, ip_vs_fo.c, ...).
 *
 * Ranks compare by cross-multiplication, as the kernel does. Products stay exact while
 * num * den < 2^53; with den a weight (≤ 65535, the ipvsadm limit) that holds for num < 2^37, far above
 * the 2^31 where the kernel's own int overhead would already have wrapped.
 */
export class TournamentTree {
  private size = 1;
  private num = new Float64Array(1);
  private den = new Float64Array(1);
  /** Heap layout: node 1 is the root, leaves are size..2*size-1; -1 = no eligible leaf below. */
  private win = new Int32Array(2).fill(-1);

  /** Drops every leaf and makes room for n of them, all out of the running until set. */
  reset(n: number): void {
    let size = 1;
    while (size < n) size <<= 1;
    if (size !== this.size) {
      this.size = size;
      this.num = new Float64Array(size);
      this.den = new Float64Array(size);
      this.win = new Int32Array(2 * size);
    }
    this.win.fill(-1);
  }

  /** Sets leaf i without fixing its ancestors; call build() after a batch of these. */
  load(i: number, eligible: boolean, num: number, den: number): void {
    this.num[i] = num;
    this.den[i] = den;
    this.win[this.size + i] = eligible ? i : -1;
  }

  /** Recomputes every inner node: O(n). */
  build(): void {
    for (let x = this.size - 1; x >= 1; x--) this.win[x] = this.play(this.win[2 * x], this.win[2 * x + 1]);
  }

  /** Sets leaf i and replays its path to the root: O(log n), less when the result stops changing. */
  set(i: number, eligible: boolean, num: number, den: number): void {
    this.load(i, eligible, num, den);
    const win = this.win;
    for (let x = (this.size + i) >> 1; x >= 1; x >>= 1) {
      const before = win[x];
      const after = this.play(win[2 * x], win[2 * x + 1]);
      win[x] = after;
      // Above here nothing changes unless this subtree's winner changed or is the leaf whose rank moved.
      if (after === before && after !== i) return;
    }
  }

  /** The earliest eligible position of lowest rank, or -1. */
  best(): number {
    return this.win[1];
  }

  /**
   * The first eligible position at or after `from` whose rank is at most bnum/bden (a rank at least
   * as good as the bound), or -1. O(log n): subtrees whose winner misses the bound are skipped whole.
   */
  firstAtOrAfter(from: number, bnum: number, bden: number): number {
    if (from >= this.size) return -1;
    const win = this.win;
    let x = this.size + from;
    for (;;) {
      if (this.within(win[x], bnum, bden)) {
        while (x < this.size) {
          x <<= 1;
          if (!this.within(win[x], bnum, bden)) x++;
        }
        return x - this.size;
      }
      while (x & 1) x >>= 1;
      if (x === 0) return -1;
      x++;
    }
  }

  private within(leaf: number, bnum: number, bden: number): boolean {
    return leaf >= 0 && this.num[leaf] * bden <= bnum * this.den[leaf];
  }

  private play(l: number, r: number): number {
    if (l < 0) return r;
    if (r < 0) return l;
    return this.num[r] * this.den[l] < this.num[l] * this.den[r] ? r : l;
  }
}
