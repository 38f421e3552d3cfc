import { v4Text, v6Text } from '../../model/address.js';
import type { FwdMethod } from '../../model/service.js';
import { NO_STATS } from '../../model/stats.js';
import type { DestEntry } from '../../model/table.js';

/**
 * The real servers read from /proc/net/ip_vs, in 32-bit words rather than objects. A large table (110,000
 * real servers) held as DestEntry objects outlives the young generation, and each page V8 promotes it to is
 * a page fault — under user-mode Linux that alone costs more than the rest of a listing. Here each takes
 * five words, and DestEntry objects are made one service at a time (entries()) by whoever prints them.
 */

/** ip_vs_fwd_name()'s names, in the order of their codes here. */
export const FWD_METHODS: readonly FwdMethod[] = ['masq', 'local', 'tunnel', 'route'];
const TUNNEL = FWD_METHODS.indexOf('tunnel');

/** Words per real server: address (v4, or the index of a v6 address), port|fwd|V6, weight, active, inactive. */
const STRIDE = 5;
const V6 = 1 << 20;

/** A growing array of u32 in 64 KiB blocks: growth never copies (a copy is fresh memory again). */
class Words {
  private static readonly SHIFT = 14;
  private readonly blocks: Uint32Array[] = [];
  length = 0;

  push(w: number): void {
    const b = this.length >>> Words.SHIFT;
    if (b === this.blocks.length) this.blocks.push(new Uint32Array(1 << Words.SHIFT));
    this.blocks[b]![this.length & ((1 << Words.SHIFT) - 1)] = w;
    this.length++;
  }

  at(i: number): number {
    return this.blocks[i >>> Words.SHIFT]![i & ((1 << Words.SHIFT) - 1)]!;
  }
}

export class ProcDests {
  private readonly words = new Words();
  private readonly v6Words = new Words();

  /** Real servers stored so far; a service's are the range [its count before, count after). */
  get count(): number {
    return this.words.length / STRIDE;
  }

  /**
   * Appends one: `addr` holds the address as host-order words (one for v4, four for v6), `fwd` is an index
   * into FWD_METHODS.
   */
  add(af: 4 | 6, addr: ArrayLike<number>, port: number, fwd: number, weight: number, active: number, inact: number): void {
    const w = this.words;
    if (af === 4) w.push(addr[0]!);
    else {
      w.push(this.v6Words.length / 4);
      for (let i = 0; i < 4; i++) this.v6Words.push(addr[i]!);
    }
    w.push(port | (fwd << 16) | (af === 6 ? V6 : 0));
    w.push(weight);
    w.push(active);
    w.push(inact);
  }

  /** Forgets every real server from index `count` on (those of a service that turned out not to parse). */
  truncate(count: number): void {
    // v6 addresses past the cut stay as unreferenced words: a malformed /proc is not worth compacting for
    this.words.length = Math.min(this.words.length, count * STRIDE);
  }

  /** Whether any real server in [first, end) is a tunnel (whose settings /proc does not show). */
  anyTunnel(first: number, end: number): boolean {
    for (let i = first; i < end; i++) if (((this.words.at(i * STRIDE + 1) >>> 16) & 0xf) === TUNNEL) return true;
    return false;
  }

  /** The real servers [first, end) as snapshot entries: what /proc does not show is 0. */
  entries(first: number, end: number): DestEntry[] {
    const out: DestEntry[] = [];
    for (let i = first; i < end; i++) {
      const at = i * STRIDE;
      const portFwd = this.words.at(at + 1);
      out.push({
        spec: {
          addr: portFwd & V6 ? { af: 6, text: v6Text(this.v6(this.words.at(at))) } : { af: 4, text: v4Text(this.words.at(at)) },
          port: portFwd & 0xffff, weight: this.words.at(at + 2), fwd: FWD_METHODS[(portFwd >>> 16) & 0xf]!,
          tunType: 'ipip', tunPort: 0, tunFlags: 0, uThreshold: 0, lThreshold: 0,
        },
        activeConns: this.words.at(at + 3), inactConns: this.words.at(at + 4), persistConns: 0, ...NO_STATS,
      });
    }
    return out;
  }

  private v6(index: number): number[] {
    const at = index * 4;
    return [this.v6Words.at(at), this.v6Words.at(at + 1), this.v6Words.at(at + 2), this.v6Words.at(at + 3)];
  }
}
