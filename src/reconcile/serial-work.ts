/**
 * Table work done one piece at a time: reconcile passes, reloads and operator changes never interleave, so
 * a pass never plans from a read-back taken before an operator's change and applies after it.
 *
 * Passes coalesce: at most one runs and at most one waits. A request made while a pass waits joins that
 * pass (their needs merged) and is answered when it finishes, so a slow data plane never piles passes up,
 * however many repair ticks and reloads ask for one meanwhile. Other work (an operator's batch) queues in
 * order; it is not merged, each batch is answered on its own.
 */
export class SerialWork<Need> {
  private tail: Promise<void> = Promise.resolve();
  private waiting: { need: Need; done: Promise<void> } | null = null;
  private requested = 0;
  private run = 0;

  /**
   * @param pass one pass for the merged need; it must not reject (a failed pass is the caller's to log).
   * @param merge the need of one pass that serves both requests.
   */
  constructor(private readonly pass: (need: Need) => Promise<void>, private readonly merge: (a: Need, b: Need) => Need) {}

  /** Asks for a pass; resolves when a pass started after this call has finished. */
  requestPass(need: Need): Promise<void> {
    this.requested++;
    const w = this.waiting;
    if (w) {
      w.need = this.merge(w.need, need);
      return w.done;
    }
    const slot: { need: Need; done: Promise<void> } = { need, done: Promise.resolve() };
    this.waiting = slot;
    slot.done = this.exclusive(() => {
      // From here on a new request waits for the next pass: this one may already have read the table.
      this.waiting = null;
      this.run++;
      return this.pass(slot.need);
    });
    return slot.done;
  }

  /** Runs fn when everything queued before it has finished, and nothing else while it runs. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.tail.then(fn);
    this.tail = p.then(() => undefined, () => undefined);
    return p;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Passes asked for and passes run: the difference is what coalescing saved. */
  get counts(): { readonly requested: number; readonly run: number } {
    return { requested: this.requested, run: this.run };
  }
}
