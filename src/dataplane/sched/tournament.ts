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
  /**
   * num/den of each node's winner (Infinity for none), kept beside `win` so a replay reads two
   * adjacent doubles per level. Division is correctly rounded, hence monotonic: a strict `<` between
   * two quotients is exact, and only equal quotients fall back to cross-multiplication.
   */
  private key = new Float64Array(2).fill(Infinity);

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
    }
    this.win.fill(-1);
    this.key.fill(Infinity);
  }

  /** Sets leaf i without fixing its ancestors; call build() after a batch of these. */
  load(i: number, eligible: boolean, num: number, den: number): void {
    this.num[i] = num;
    this.den[i] = den;
    this.win[this.size + i] = eligible ? i : -1;
    this.key[this.size + i] = eligible ? num / den : Infinity;
  }

  /** Recomputes every inner node: O(n). */
  build(): void {
    for (let x = this.size - 1; x >= 1; x--) this.play(x);
  }

  /** Sets leaf i and replays its path to the root: O(log n), less when the result stops changing. */
  set(i: number, eligible: boolean, num: number, den: number): void {
    const win = this.win;
    // Most counter changes leave a leaf as it was (rr, wrr, fo ignore counters; ovf only cares past
    // its weight): nothing to replay.
    if ((win[this.size + i] >= 0) === eligible && this.num[i] === num && this.den[i] === den) return;
    this.load(i, eligible, num, den);
    for (let x = (this.size + i) >> 1; x >= 1; x >>= 1) {
      const before = win[x];
      const after = this.play(x);
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

  /** Decides node x from its children; the right child wins only with a strictly lower rank. */
  private play(x: number): number {
    const key = this.key;
    const win = this.win;
    const l = 2 * x;
    const kl = key[l];
    const kr = key[l + 1];
    // Branch-free for distinct quotients (the common case; a replay is mostly mispredictions otherwise).
    let w = l + +(kr < kl);
    if (kr === kl && kr !== Infinity) {
      const a = win[l];
      const b = win[l + 1];
      if (this.num[b] * this.den[a] < this.num[a] * this.den[b]) w = l + 1;
    }
    const winner = win[w];
    win[x] = winner;
    key[x] = key[w];
    return winner;
  }
}
