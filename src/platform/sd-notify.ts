/**
 * systemd's readiness protocol without libsystemd (sd_notify(3), systemd.service(5) Type=notify and
 * Type=notify-reload): newline-separated KEY=VALUE datagrams to the AF_UNIX socket named by $NOTIFY_SOCKET
 * ('@' = abstract). Without $NOTIFY_SOCKET every call does nothing. A failed send is logged once per kind
 * and never stops the daemon: systemd's timeout is the judge of a start that was not reported.
 */
import { loadNative } from '../native/addon.js';
import type { Logger } from '../ports/logger.js';

export type NotifySend = (path: string, data: Uint8Array) => void;

export class SdNotify {
  private readonly failed = new Set<string>();

  private constructor(private readonly socket: string, private readonly send: NotifySend, private readonly log: Logger) {}

  /**
   * Takes $NOTIFY_SOCKET out of the environment (sd_notify's unset_environment), so notify and check
   * scripts lvsd runs cannot speak for it. null when lvsd does not run under a notify-aware manager.
   */
  static fromEnv(env: NodeJS.ProcessEnv, log: Logger, send?: NotifySend): SdNotify | null {
    const socket = env.NOTIFY_SOCKET;
    delete env.NOTIFY_SOCKET;
    if (socket === undefined || socket === '') return null;
    if (!socket.startsWith('/') && !socket.startsWith('@')) {
      log.warn({ socket }, 'NOTIFY_SOCKET is neither a path nor an abstract (@) name: systemd is not told of readiness');
      return null;
    }
    return new SdNotify(socket, send ?? ((p, d) => void loadNative().unixDgramSend(p, d)), log);
  }

  /** Started, or a reload finished: the service is up (READY=1). */
  ready(status: string): void {
    this.notify('ready', ['READY=1', `STATUS=${status}`]);
  }

  /**
   * A reload begins. MONOTONIC_USEC lets systemd tell this reload from an earlier one (systemd 253
   * Type=notify-reload); Node's hrtime is CLOCK_MONOTONIC on Linux (libuv uv_hrtime).
   */
  reloading(): void {
    this.notify('reloading', ['RELOADING=1', `MONOTONIC_USEC=${process.hrtime.bigint() / 1000n}`, 'STATUS=reloading']);
  }

  stopping(): void {
    this.notify('stopping', ['STOPPING=1', 'STATUS=stopping']);
  }

  private notify(kind: string, lines: readonly string[]): void {
    try {
      this.send(this.socket, Buffer.from(`${lines.join('\n')}\n`));
    } catch (e) {
      if (!this.failed.has(kind)) this.log.warn({ socket: this.socket, err: e }, `sd_notify ${kind}: ${(e as Error).message}`);
      this.failed.add(kind);
    }
  }
}
