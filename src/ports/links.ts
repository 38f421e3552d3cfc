/**
 * Interface state as track_interface sees it (keepalived vrrp_if.h IF_ISUP: administratively up and running,
 * i.e. with carrier). A watcher reports each change of an interface's `up`, and interfaces appearing and
 * disappearing, after the fact; the VRRP instance decides what a change means (FAULT, a weight).
 */
export interface LinkStatus {
  readonly name: string;
  readonly index: number;
  /** Up and running; false for an interface that is gone. */
  readonly up: boolean;
  /** false once the interface has been deleted. */
  readonly exists: boolean;
}

export interface LinkWatcher {
  /** The interface's status now, or null if there is no interface of that name. */
  status(name: string): LinkStatus | null;
  close(): void;
}
