/**
 * SMTP alerts in the running daemon: one SmtpAlerter, made from the first configuration that names
 * notification_email and smtp_server (keepalived's smtp_alert sends nothing without both) and reconfigured on
 * every reload after that. Health and VRRP hand their transitions here; each is mailed when its smtp_alert
 * flag asks (resolved by the config reader), without ever waiting for the mail server.
 */
import type { KeepalivedConfig } from '../model/config.js';
import type { VrrpInstance, VrrpSyncGroup } from '../model/config-vrrp.js';
import type { Logger } from '../ports/logger.js';
import type { HealthEvent } from '../health/events.js';
import { mailConfigured, type VrrpAlertState } from '../platform/alerts/alert-mail.js';
import { SmtpAlerter, type AlerterDeps } from '../platform/alerts/smtp-alerter.js';

type Transition = Extract<HealthEvent, { kind: 'rs-transition' | 'vs-transition' }>;

export class DaemonAlerts {
  private alerter: SmtpAlerter | null = null;

  /** `send`: tests record mails there; the real SMTP client by default. */
  constructor(private readonly log: Logger, private readonly hostname: string, private readonly send?: AlerterDeps['send']) {}

  /** The core's onConfig hook: the first configuration with mail settings builds the alerter. */
  configure(cfg: KeepalivedConfig): void {
    if (this.alerter) this.alerter.configure(cfg.global);
    else if (mailConfigured(cfg.global)) {
      const deps = { log: this.log.child({ component: 'smtp' }), hostname: this.hostname };
      this.alerter = new SmtpAlerter(cfg.global, this.send ? { ...deps, send: this.send } : deps);
    }
  }

  /** The alerter, or null while no configuration asked for mail. */
  get smtp(): SmtpAlerter | null {
    return this.alerter;
  }

  /** A health transition (keepalived do_rs_notifies / do_vs_notifies). */
  health(e: Transition): void {
    if (e.kind === 'rs-transition') this.alerter?.realServer(e.vs, e.rs, e.up);
    else this.alerter?.virtualServer(e.vs, e.up, e.figures);
  }

  /**
   * An instance's state change. A member of a sync group that mails is mailed about as the group only
   * (vrrp/vrrp.c vrrp_smtp_notifier: `vrrp->smtp_alert && (!vrrp->sync || !vrrp->sync->smtp_alert)`).
   */
  vrrpInstance(inst: VrrpInstance, group: VrrpSyncGroup | undefined, state: VrrpAlertState): void {
    if (!group?.smtpAlert) this.alerter?.vrrpState(inst, state);
  }

  /** A sync group's state change (vrrp_sync_smtp_notifier). */
  vrrpGroup(group: VrrpSyncGroup, state: VrrpAlertState): void {
    this.alerter?.vrrpGroupState(group, state);
  }

  /** Waits for the queued mails (bounded by smtp_connect_timeout each) before the process exits. */
  async idle(): Promise<void> {
    await this.alerter?.idle();
  }
}
