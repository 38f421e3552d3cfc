import { RankedList } from './ranked-list.js';
import type { SchedDest } from './types.js';
import { WLC_RANKING } from './wlc.js';

/** What lblc and lblcr ask of the whole service (an interface so a straight kernel port can stand in). */
export interface LoadView {
  update(dests: readonly SchedDest[]): void;
  countersChanged(d: SchedDest): void;
  /** The wlc pick over all dests. */
  leastLoaded(): SchedDest | null;
  /** is_overloaded() in ip_vs_lblc.c / ip_vs_lblcr.c. */
  isOverloaded(d: SchedDest): boolean;
}

/**
 * What lblc and lblcr need to know about the whole service on every pick: the wlc choice for a new
 * mapping (__ip_vs_lblc_schedule / __ip_vs_lblcr_schedule are wlc), and is_overloaded()'s
 * "is there any dest with activeconns * 2 < weight" kept as a count instead of a list walk.
 */
export class LocalityLoad implements LoadView {
  private readonly list = new RankedList(WLC_RANKING);
  private underHalf = new Uint8Array(0);
  private underHalfCount = 0;

  update(dests: readonly SchedDest[]): void {
    this.list.update(dests);
    this.underHalf = new Uint8Array(dests.length);
    this.underHalfCount = 0;
    for (let i = 0; i < dests.length; i++) this.mark(i, dests[i]);
  }

  countersChanged(d: SchedDest): void {
    const i = this.list.changed(d);
    if (i >= 0) this.mark(i, d);
  }

  /** The wlc pick over all dests. */
  leastLoaded(): SchedDest | null {
    return this.list.best();
  }

  /**
   * is_overloaded() in ip_vs_lblc.c / ip_vs_lblcr.c: more active connections than weight while some
   * dest of the service is below half of its weight. (Not the OVERLOAD flag.)
   */
  isOverloaded(d: SchedDest): boolean {
    return d.activeConns > d.weight && this.underHalfCount > 0;
  }

  private mark(i: number, d: SchedDest): void {
    const under = d.activeConns * 2 < d.weight ? 1 : 0;
    this.underHalfCount += under - this.underHalf[i];
    this.underHalf[i] = under;
  }
}
