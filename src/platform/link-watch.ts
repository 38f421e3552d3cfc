import { RtnlClient } from '../netlink/rtnl/client.js';
import type { LinkInfo } from '../netlink/rtnl/map.js';
import { RtnlMonitor, type RtnlEvent } from '../netlink/rtnl/monitor.js';
import type { LinkStatus, LinkWatcher } from '../ports/links.js';

/**
 * The LinkWatcher port over rtnetlink link events (RTMGRP_LINK). The monitor is opened before the first
 * listing so no change falls between them. The kernel sends RTM_NEWLINK for many things that are not state
 * (MTU, statistics, a new address); only a change of `up` or of existence is passed on. After a receive
 * overrun the events lost are made good by listing the links again and passing on what differs.
 */
export interface LinkWatchOptions {
  readonly netns?: string;
  /** The event socket's receive buffer (tests make it small to see an overrun made good). */
  readonly rcvbufBytes?: number;
  readonly onChange: (now: LinkStatus, before: LinkStatus | null) => void;
  /** A listing or an event that failed; the watcher carries on with what it knows. */
  readonly onError?: (e: Error) => void;
}

const isUp = (l: LinkInfo): boolean => l.adminUp && l.running;

export class LinkWatch implements LinkWatcher {
  private readonly links = new Map<string, LinkStatus>();
  private monitor: RtnlMonitor | null = null;
  /** Event overruns survived (each followed by a listing), for metrics. */
  overruns = 0;

  private constructor(private readonly rtnl: RtnlClient, private readonly opts: LinkWatchOptions) {}

  static async open(opts: LinkWatchOptions): Promise<LinkWatch> {
    const rtnl = RtnlClient.open(opts.netns !== undefined ? { netns: opts.netns } : {});
    const w = new LinkWatch(rtnl, opts);
    try {
      w.monitor = RtnlMonitor.open({
        links: true,
        ...(opts.netns !== undefined ? { netns: opts.netns } : {}),
        ...(opts.rcvbufBytes !== undefined ? { rcvbufBytes: opts.rcvbufBytes } : {}),
        onEvent: (e) => w.event(e),
        ...(opts.onError ? { onError: opts.onError } : {}),
      });
      await w.relist(false);
      return w;
    } catch (e) {
      w.close();
      throw e;
    }
  }

  status(name: string): LinkStatus | null {
    return this.links.get(name) ?? null;
  }

  close(): void {
    this.monitor?.close();
    this.monitor = null;
    this.rtnl.close();
  }

  private event(e: RtnlEvent): void {
    if (e.kind === 'overrun') {
      this.overruns++;
      this.relist(true).catch((err: unknown) => this.opts.onError?.(err instanceof Error ? err : new Error(String(err))));
      return;
    }
    if (e.kind !== 'link' || !e.link.name) return;
    this.set(e.deleted ? { name: e.link.name, index: e.link.index, up: false, exists: false } : statusOf(e.link), true);
  }

  /** Records a status; tells the listener when `up` or existence changed (and `tell` is set). */
  private set(now: LinkStatus, tell: boolean): void {
    const before = this.links.get(now.name) ?? null;
    if (now.exists) this.links.set(now.name, now);
    else this.links.delete(now.name);
    const changed = before ? before.up !== now.up || before.exists !== now.exists || before.index !== now.index : now.exists;
    if (tell && changed) this.opts.onChange(now, before);
  }

  private async relist(tell: boolean): Promise<void> {
    const listed = await this.rtnl.links();
    const names = new Set(listed.map((l) => l.name));
    for (const [name, s] of [...this.links]) if (!names.has(name)) this.set({ ...s, up: false, exists: false }, tell);
    for (const l of listed) this.set(statusOf(l), tell);
  }
}

function statusOf(l: LinkInfo): LinkStatus {
  return { name: l.name, index: l.index, up: isUp(l), exists: true };
}
