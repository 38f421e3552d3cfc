/**
 * A tournament (winner) tree over list positions. Each leaf is a destination with a rank num/den, or
 * out of the running; every inner node holds the index of the leaf that wins its subtree. A leaf on the
 * right beats one on the left only when its rank is strictly lower, so the root is the earliest
 * position with the lowest rank: exactly what the kernel's linear scans with a strict `>` (or `<`)
 * return (ip_vs_wlc.c, ip_vs_lc.c, ip_vs_fo.c, ...).
 *
 * Ranks compare as the kernel's cross-multiplications would. Products stay exact while
 * num * den < 2^53; with den a weight (≤ 65535, the ipvsadm limit) that holds for num < 2^37, far above
 * the 2^31 where the kernel's own int overhead would already have wrapped.
 *
 * Leaf changes are replayed lazily, when a query needs the tree: a leaf changed several times between
 * picks is replayed once, and a tree nobody asks (lblc's fallback while its cache hits) costs nothing.
 */
export class TournamentTree {
  private size = 1;
  private num = new Float64Array(1);
  private den = new Float64Array(1);
  /** Heap layout: node 1 is the root, leaves are size..2*size-1; -1 = no eligible leaf below. */
  private win = new Int32Array(2).fill(-1);
  /**
   * num/den of each node's winner (Infinity for none), beside `win` so a replay reads two adjacent
   * doubles per level. Division is correctly rounded, hence monotonic: a strict `<` between two
   * quotients is exact; only equal quotients may need the cross-multiplication.
   */
  private key = new Float64Array(2).fill(Infinity);
  /**
   * Equal quotients below this are equal fractions, so the left child wins without checking. Two
   * different fractions with denominators ≤ D differ by at least 1/D², more than the rounding of
   * quotients below 2^51 / D² can hide.
   */
  private exactFrom = Infinity;
  private maxDen = 0;
  /** Leaves changed since the last replay, each once. */
  private dirty = new Int32Array(1);
  private dirtyCount = 0;
  private isDirty = new Uint8Array(1);

  /** Drops every leaf and makes room for n of them, all out of the running until set. */
  reset(n: number): void {
    let size = 1;
    while (size < n) size <<= 1;
    if (size !== this.size) {
      this.size = size;
      this.num = new Float64Array(size);
      this.den = new Float64Array(size);
      this.win = new Int32Array(2 * size);
      this.key = new Float64Array(2 * size);
      this.dirty = new Int32Array(size);
      this.isDirty = new Uint8Array(size);
    }
    this.win.fill(-1);
    this.key.fill(Infinity);
    this.isDirty.fill(0);
    this.dirtyCount = 0;
    this.maxDen = 0;
    this.exactFrom = Infinity;
  }

  /** Sets leaf i without fixing its ancestors; call build() after a batch of these. */
  load(i: number, eligible: boolean, num: number, den: number): void {
    if (den > this.maxDen) {
      this.maxDen = den;
      this.exactFrom = 2 ** 51 / (den * den);
    }
    this.num[i] = num;
    this.den[i] = den;
    this.win[this.size + i] = eligible ? i : -1;
    this.key[this.size + i] = eligible ? num / den : Infinity;
  }

  /** Recomputes every inner node: O(n). */
  build(): void {
    for (let x = this.size - 1; x >= 1; x--) this.play(x);
    for (let k = 0; k < this.dirtyCount; k++) this.isDirty[this.dirty[k]] = 0;
    this.dirtyCount = 0;
  }

  /** Sets leaf i; its ancestors are replayed before the next query (O(log n) then). */
  set(i: number, eligible: boolean, num: number, den: number): void {
    // Most counter changes leave a leaf as it was (rr, wrr, fo ignore counters; ovf only cares past
    // its weight): nothing to replay.
    if ((this.win[this.size + i] >= 0) === eligible && this.num[i] === num && this.den[i] === den) return;
    this.load(i, eligible, num, den);
    if (this.isDirty[i] === 0) {
      this.isDirty[i] = 1;
      this.dirty[this.dirtyCount++] = i;
    }
  }

  /** The earliest eligible position of lowest rank, or -1. */
  best(): number {
    if (this.dirtyCount > 0) this.replay();
    return this.win[1];
  }

  /**
   * The first eligible position at or after `from` whose rank is at most bnum/bden (a rank at least
   * as good as the bound), or -1. O(log n): subtrees whose winner misses the bound are skipped whole.
   */
  firstAtOrAfter(from: number, bnum: number, bden: number): number {
    if (from >= this.size) return -1;
    if (this.dirtyCount > 0) this.replay();
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

  /**
   * Replays each dirty leaf's path. A path stops where the node's winner is unchanged and is not the
   * leaf itself: above it nothing this leaf did can show. Many dirty leaves: one full rebuild instead.
   */
  private replay(): void {
    if (this.dirtyCount * Math.log2(this.size) > this.size) {
      this.build();
      return;
    }
    const win = this.win;
    for (let k = 0; k < this.dirtyCount; k++) {
      const i = this.dirty[k];
      this.isDirty[i] = 0;
      for (let x = (this.size + i) >> 1; x >= 1; x >>= 1) {
        const before = win[x];
        const after = this.play(x);
        if (after === before && after !== i) break;
      }
    }
    this.dirtyCount = 0;
  }

  private within(leaf: number, bnum: number, bden: number): boolean {
    return leaf >= 0 && this.num[leaf] * bden <= bnum * this.den[leaf];
  }

  /** Decides node x from its children; the right child wins only with a strictly lower rank. */
  private play(x: number): number {
    const key = this.key;
    const win = this.win;
    const l = 2 * x;
    const kl = key[l];
    const kr = key[l + 1];
    // Written to compile without a branch on the comparison: ranks are often equal (small connection
    // counts, few distinct weights) and a mispredicted branch per level would dominate a replay.
    let w = l + +(kr < kl);
    const k = key[w];
    if (k >= this.exactFrom && kr === kl && k !== Infinity) {
      const a = win[l];
      const b = win[l + 1];
      if (this.num[b] * this.den[a] < this.num[a] * this.den[b]) w = l + 1;
    }
    const winner = win[w];
    win[x] = winner;
    key[x] = k;
    return winner;
  }
}
