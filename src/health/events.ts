/** What the health layer asks the daemon to do, in order, as data (the daemon performs them). */
import type { RealServer, ScriptSpec, VirtualServer } from '../model/config.js';

export type NotifyRole = 'notify_up' | 'notify_down' | 'quorum_up' | 'quorum_down';

export type HealthEvent =
  /** One line for the log; `fields` name the virtual server, real server and checker it is about. */
  | { readonly kind: 'log'; readonly level: 'info' | 'warn'; readonly msg: string; readonly fields: Readonly<Record<string, string | number>> }
  /**
   * A notify or quorum script to run without extra arguments (keepalived notify_exec). `stopping`: the director is
   * shutting down with omega set, and keepalived then bounds the script to one second (system_call_script TIMER_HZ).
   */
  | { readonly kind: 'script'; readonly role: NotifyRole; readonly script: ScriptSpec; readonly about: string; readonly stopping: boolean }
  /** A notify_fifo / lvs_notify_fifo line without its newline (check/ipwrapper.c notify_fifo_rs/notify_fifo_vs). */
  | { readonly kind: 'fifo'; readonly line: string }
  /** A real server went up or down: keepalived's smtp_alert mails it (check/ipwrapper.c, SMTP_MSG_RS). */
  | { readonly kind: 'rs-transition'; readonly vs: VirtualServer; readonly rs: RealServer; readonly up: boolean }
  /** A virtual server gained or lost quorum (do_vs_notifies, SMTP_MSG_VS); `figures`: the quorum sum as logged. */
  | { readonly kind: 'vs-transition'; readonly vs: VirtualServer; readonly up: boolean; readonly figures: string }
  /** The HealthView changed: the desired table needs recomputing. Sent once after a batch of changes. */
  | { readonly kind: 'changed' };

export type HealthSink = (e: HealthEvent) => void;
