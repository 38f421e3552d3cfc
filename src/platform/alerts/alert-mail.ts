/**
 * What keepalived mails on a transition, and when (core/smtp.c smtp_alert, include/smtp.h SMTP_*_CMD,
 * vrrp/vrrp.c vrrp_smtp_notifier, check/ipwrapper.c update_svr_checker_state). Pure: no sockets, no clock.
 */
import type { GlobalDefs, RealServer, VirtualServer } from '../../model/config.js';
import { formatRs, formatVs } from '../../health/format.js';

export interface AlertMail {
  readonly subject: string;
  readonly body: string;
}

export type VrrpAlertState = 'MASTER' | 'BACKUP' | 'FAULT';

/** keepalived's router_id defaults to the host name (global_data.c set_default_router_id). */
const routerId = (g: GlobalDefs, hostname: string): string => g.routerId ?? hostname;

/** vrrp_smtp_notifier: the three states keepalived mails about, each with its fixed body line. */
const VRRP_BODY: Readonly<Record<VrrpAlertState, string>> = {
  MASTER: '=> VRRP Instance is now owning VRRP VIPs <=',
  BACKUP: '=> VRRP Instance is nolonger owning VRRP VIPs <=',
  FAULT: '=> VRRP Instance is nolonger owning VRRP VIPs <=',
};

/** SMTP_MSG_VRRP: `[router_id] VRRP Instance NAME - Entering STATE state`. */
export function vrrpAlert(g: GlobalDefs, hostname: string, instance: string, state: VrrpAlertState): AlertMail {
  return { subject: `[${routerId(g, hostname)}] VRRP Instance ${instance} - Entering ${state} state`, body: VRRP_BODY[state] };
}

/** SMTP_MSG_VGROUP: the same for a sync group. */
export function vrrpGroupAlert(g: GlobalDefs, hostname: string, group: string, state: VrrpAlertState): AlertMail {
  return { subject: `[${routerId(g, hostname)}] VRRP Group ${group} - Entering ${state} state`, body: VRRP_BODY[state] };
}

/** SMTP_MSG_RS: `[router_id] Realserver RS of virtual server VS - UP|DOWN`. */
export function realServerAlert(g: GlobalDefs, hostname: string, vs: VirtualServer, rs: RealServer, up: boolean): AlertMail {
  return {
    subject: `[${routerId(g, hostname)}] Realserver ${formatRs(vs, rs)} of virtual server ${formatVs(vs)} - ${up ? 'UP' : 'DOWN'}`,
    body: up ? '=> CHECK succeed on service <=' : '=> CHECK failed on service <=',
  };
}

/**
 * SMTP_MSG_VS: `[router_id] Virtualserver VS - UP|DOWN` on a quorum change, its body the quorum figures
 * (check/ipwrapper.c do_vs_notifies).
 */
export function virtualServerAlert(g: GlobalDefs, hostname: string, vs: VirtualServer, up: boolean, body: string): AlertMail {
  return { subject: `[${routerId(g, hostname)}] Virtualserver ${formatVs(vs)} - ${up ? 'UP' : 'DOWN'}`, body };
}

/** smtp_alert sends nothing without recipients and a server. */
export const mailConfigured = (g: GlobalDefs): boolean => g.notificationEmail.length > 0 && g.smtpServer !== null;

/** keepalived's default sender: keepalived@<host name> (global_data.c set_default_email_from). */
export const mailFrom = (g: GlobalDefs, hostname: string): string => g.notificationEmailFrom ?? `keepalived@${hostname}`;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** strftime "%a, %d %b %Y %H:%M:%S %z" in local time, as body_cmd stamps the Date header (RFC 5322 3.3). */
export function rfc822Date(d: Date): string {
  const off = -d.getTimezoneOffset();
  const zone = `${off < 0 ? '-' : '+'}${two(Math.floor(Math.abs(off) / 60))}${two(Math.abs(off) % 60)}`;
  return `${DAYS[d.getDay()]}, ${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ` +
    `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${zone}`;
}

/**
 * The DATA section: SMTP_HEADERS_CMD then SMTP_BODY_CMD, CRLF line ends, without the final dot. Lines that
 * start with '.' are doubled (RFC 5321 4.5.2), which keepalived omits; its fixed bodies never need it.
 */
export function messageText(from: string, to: readonly string[], mail: AlertMail, date: Date): string {
  const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');
  const body = mail.body.split(/\r?\n/).map((l) => (l.startsWith('.') ? `.${l}` : l)).join('\r\n');
  return `Date: ${rfc822Date(date)}\r\nFrom: ${oneLine(from)}\r\nSubject: ${oneLine(mail.subject)}\r\n` +
    `X-Mailer: Keepalived\r\nTo: ${to.map(oneLine).join(', ')}\r\n\r\n${body}\r\n`;
}
