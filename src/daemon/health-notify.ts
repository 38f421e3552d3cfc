/**
 * Performs the health layer's notifications: notify_up/notify_down and quorum_up/quorum_down through the
 * ScriptRunner (argv without a shell, as script_user, killed with its process group at its timeout, at most
 * MAX_CONCURRENT_SCRIPTS at once with the rest queued), each run's bounded output into the log; and the checker
 * lines on notify_fifo and lvs_notify_fifo, in the order the health layer produced them (keepalived
 * check/ipwrapper.c notify_fifo_rs/notify_fifo_vs write each line to both).
 */
import type { KeepalivedConfig } from '../model/config.js';
import type { NotifyFifo } from '../model/config-global.js';
import type { HealthEvent } from '../health/events.js';
import type { Logger } from '../ports/logger.js';
import type { ScriptRunner } from '../ports/scripts.js';
import { NotifyFifoWriter } from '../platform/notify-fifo.js';

/**
 * keepalived runs checker notify scripts without a bound (notify_exec forks and forgets); lvsd bounds them so a
 * hung script cannot hold a slot for ever. While stopping with omega keepalived gives them one second.
 */
export const NOTIFY_TIMEOUT_MS = 30_000;
const STOPPING_TIMEOUT_MS = 1_000;
/** A _script reading the FIFO runs as long as the FIFO is open (keepalived TIMER_NEVER); setTimeout's maximum. */
const FIFO_SCRIPT_TIMEOUT_MS = 2_147_483_647;
/** Characters of a script's output put into one log line. */
const LOGGED_OUTPUT = 4096;

type ScriptEvent = Extract<HealthEvent, { kind: 'script' }>;

interface OpenFifo {
  readonly cfg: NotifyFifo;
  readonly writer: NotifyFifoWriter;
  readonly script: AbortController;
}

export class HealthNotifier {
  private readonly running = new Set<Promise<void>>();
  /** Ends the scripts of transitions when lvsd stops; those of the stop itself (omega) have their one second. */
  private readonly stopping = new AbortController();
  private fifos: OpenFifo[] = [];

  constructor(private readonly scripts: ScriptRunner, private readonly log: Logger) {}

  /** Opens notify_fifo and lvs_notify_fifo as the configuration names them; a reload keeps those unchanged. */
  configure(cfg: KeepalivedConfig): void {
    const wanted = [cfg.global.notifyFifo, cfg.global.lvsNotifyFifo].filter((f): f is NotifyFifo => f !== null && (f.path !== null || f.script !== null));
    const next: OpenFifo[] = [];
    for (const f of wanted) {
      const same = this.fifos.find((o) => JSON.stringify(o.cfg) === JSON.stringify(f));
      const open = same ?? this.open(f);
      if (open && !next.includes(open)) next.push(open);
    }
    for (const o of this.fifos) if (!next.includes(o)) closeFifo(o);
    this.fifos = next;
  }

  /** One event from the health layer: scripts start now, FIFO lines are written now, in order. */
  notify(e: ScriptEvent | Extract<HealthEvent, { kind: 'fifo' }>): void {
    if (e.kind === 'fifo') {
      for (const f of this.fifos) f.writer.write(e.line);
      return;
    }
    const p = this.runScript(e).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /**
   * On stop: kills the scripts of earlier transitions (keepalived does not wait for them either), waits for
   * omega's (bounded to a second), then closes the FIFOs.
   */
  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.running]);
    for (const o of this.fifos) closeFifo(o);
    this.fifos = [];
  }

  private async runScript(e: ScriptEvent): Promise<void> {
    const argv0 = e.script.argv[0] ?? '';
    const fields = { script: argv0, role: e.role, about: e.about };
    const r = e.stopping
      ? await this.scripts.run(e.script, [], STOPPING_TIMEOUT_MS)
      : await this.scripts.run(e.script, [], NOTIFY_TIMEOUT_MS, this.stopping.signal);
    const output = r.output.length > LOGGED_OUTPUT ? `${r.output.slice(0, LOGGED_OUTPUT)}…` : r.output;
    if (r.error) this.log.warn(fields, `${e.role} script for ${e.about} not run: ${r.error}`);
    else if (r.timedOut) this.log.warn({ ...fields, output }, `${e.role} script ${argv0} for ${e.about} timed out and was killed with its process group`);
    else if (r.exitCode !== 0) this.log.warn({ ...fields, exit: r.exitCode, signal: r.signal, output }, `${e.role} script ${argv0} for ${e.about} failed`);
    else this.log.info({ ...fields, output }, `${e.role} script ${argv0} for ${e.about} ran`);
  }

  private open(f: NotifyFifo): OpenFifo | null {
    const script = new AbortController();
    const { writer, error } = NotifyFifoWriter.open(f, (path) => {
      if (!f.script) return;
      void this.scripts.run(f.script, [path], FIFO_SCRIPT_TIMEOUT_MS, script.signal).then((r) => {
        if (!script.signal.aborted) this.log.warn({ script: f.script?.argv[0], exit: r.exitCode, error: r.error }, `notify FIFO script for ${path} ended`);
      });
    });
    if (error) this.log.error({ fifo: f.path }, error);
    if (!writer) {
      script.abort();
      return null;
    }
    this.log.info({ fifo: writer.path }, 'notify FIFO open');
    return { cfg: f, writer, script };
  }
}

function closeFifo(o: OpenFifo): void {
  o.script.abort();
  o.writer.close();
}
