/**
 * Turns transitions into mails: VRRP state changes of an instance or sync group and real servers going up
 * or down, each when the configuration asks for it (smtp_alert*), sent one at a time in order. A dead mail
 * server never holds up the caller: mails queue (bounded; the oldest beyond the bound are dropped and
 * counted) and each failure is one log line, as keepalived logs "Error processing ... cmd".
 */
import type { GlobalDefs, RealServer, VirtualServer, VrrpInstance } from '../../model/config.js';
import type { VrrpSyncGroup } from '../../model/config-vrrp.js';
import type { Logger } from '../../ports/logger.js';
import { mailConfigured, mailFrom, messageText, realServerAlert, virtualServerAlert, vrrpAlert, vrrpGroupAlert, type AlertMail, type VrrpAlertState } from './alert-mail.js';
import { sendMail, type SmtpEnvelope, type SmtpTarget } from './smtp-client.js';

const QUEUE_LIMIT = 64;

export interface AlerterDeps {
  readonly log: Logger;
  readonly hostname: string;
  /** Injected for tests; the real client by default. */
  readonly send?: (t: SmtpTarget, env: SmtpEnvelope) => Promise<void>;
  readonly now?: () => Date;
}

export class SmtpAlerter {
  private readonly queue: AlertMail[] = [];
  private running: Promise<void> | null = null;
  private dropped = 0;

  constructor(private globals: GlobalDefs, private readonly deps: AlerterDeps) {}

  /** After a reload: later mails use the new recipients and server. */
  configure(globals: GlobalDefs): void {
    this.globals = globals;
  }

  /**
   * The objects' smtpAlert flags arrive resolved by the config reader (own flag, else smtp_alert_vrrp /
   * smtp_alert_checker, else smtp_alert; a real server defaults to yes as keepalived's validate_check_config).
   */
  vrrpState(inst: Pick<VrrpInstance, 'name' | 'smtpAlert'>, state: VrrpAlertState): void {
    if (inst.smtpAlert && this.wantsState(state)) this.enqueue(vrrpAlert(this.globals, this.deps.hostname, inst.name, state));
  }

  /** vrrp_sync_smtp_notifier: a sync group's state change, when the group's smtp_alert asks. */
  vrrpGroupState(group: Pick<VrrpSyncGroup, 'name' | 'smtpAlert'>, state: VrrpAlertState): void {
    if (group.smtpAlert && this.wantsState(state)) this.enqueue(vrrpGroupAlert(this.globals, this.deps.hostname, group.name, state));
  }

  /** do_vs_notifies: a virtual server gained or lost quorum, when its smtp_alert asks. */
  virtualServer(vs: VirtualServer, up: boolean, figures: string): void {
    if (vs.smtpAlert) this.enqueue(virtualServerAlert(this.globals, this.deps.hostname, vs, up, `=> ${figures} <=`));
  }

  realServer(vs: VirtualServer, rs: RealServer, up: boolean): void {
    // Called on a real server's transition only, so no_checker_emails (mail on those, not per checker) holds.
    if (rs.smtpAlert) this.enqueue(realServerAlert(this.globals, this.deps.hostname, vs, rs, up));
  }

  /** no_email_faults: keepalived mails no FAULT transitions (vrrp.c vrrp_smtp_notifier). */
  private wantsState(state: VrrpAlertState): boolean {
    return !(state === 'FAULT' && this.globals.noEmailFaults);
  }

  /** Resolves when every queued mail has been tried (for a clean stop and for tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private enqueue(mail: AlertMail): void {
    if (!mailConfigured(this.globals)) return;
    if (this.queue.length >= QUEUE_LIMIT) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(mail);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  private async drain(): Promise<void> {
    for (let mail = this.queue.shift(); mail; mail = this.queue.shift()) {
      const g = this.globals;
      const server = g.smtpServer;
      if (!server) return;
      const from = mailFrom(g, this.deps.hostname);
      const target = { host: server.host, port: server.port, helo: g.smtpHeloName ?? 'localhost', timeoutMs: g.smtpConnectTimeout * 1000 };
      const env = { from, to: g.notificationEmail, data: messageText(from, g.notificationEmail, mail, (this.deps.now ?? (() => new Date()))()) };
      try {
        await (this.deps.send ?? sendMail)(target, env);
        this.deps.log.info({ subject: mail.subject }, 'SMTP alert successfully sent');
      } catch (e) {
        this.deps.log.warn({ subject: mail.subject, server: `${server.host}:${server.port}`, dropped: this.dropped }, (e as Error).message);
      }
    }
  }
}
