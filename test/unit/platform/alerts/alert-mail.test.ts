import t from 'tap';
import os from 'node:os';
import { tempDir } from '../../../../src/testing/peers.js';
import { mailConfigured, mailFrom, messageText, realServerAlert, rfc822Date, vrrpAlert } from '../../../../src/platform/alerts/alert-mail.js';
import { alertConfig } from './fixtures/config.js';

const tmp = tempDir('alert-mail');
t.teardown(tmp.remove);

t.test('subjects and bodies are keepalived smtp_alert ones', async (t) => {
  const cfg = alertConfig(tmp.dir, 'notification_email { ops@example.org }\nsmtp_server 127.0.0.1');
  const vs = cfg.virtualServers[0]!;
  const rs = vs.realServers[0]!;
  t.same(vrrpAlert(cfg.global, 'host', 'VI_1', 'MASTER'), {
    subject: '[lb1] VRRP Instance VI_1 - Entering MASTER state', body: '=> VRRP Instance is now owning VRRP VIPs <=' });
  t.equal(vrrpAlert(cfg.global, 'host', 'VI_1', 'FAULT').body, '=> VRRP Instance is nolonger owning VRRP VIPs <=');
  t.same(realServerAlert(cfg.global, 'host', vs, rs, false), {
    subject: '[lb1] Realserver [198.51.100.7]:tcp:8080 of virtual server [192.0.2.10]:tcp:80 - DOWN',
    body: '=> CHECK failed on service <=' });
  t.equal(realServerAlert(cfg.global, 'host', vs, rs, true).body, '=> CHECK succeed on service <=');
  t.equal(mailFrom(cfg.global, 'host'), `keepalived@${os.hostname()}`, 'default sender is keepalived@<host name>');
  t.ok(mailConfigured(cfg.global));
});

t.test('who mails: the flags as the config reader resolves them', async (t) => {
  const none = alertConfig(tmp.dir, 'notification_email { a@b }');
  t.notOk(mailConfigured(none.global), 'no smtp_server: nothing is sent');
  t.notOk(none.vrrpInstances[0]!.smtpAlert, 'VRRP instances do not mail by default');
  t.ok(none.virtualServers[0]!.realServers[0]!.smtpAlert, 'real servers mail by default (keepalived validate_check_config)');
  const vrrpOnly = alertConfig(tmp.dir, 'smtp_alert\nsmtp_alert_checker false');
  t.ok(vrrpOnly.vrrpInstances[0]!.smtpAlert);
  t.notOk(vrrpOnly.virtualServers[0]!.realServers[0]!.smtpAlert);
});

t.test('message text: keepalived headers, CRLF, dot-stuffed body, one-line headers', async (t) => {
  const d = new Date(2026, 0, 5, 7, 8, 9);
  t.match(rfc822Date(d), /^Mon, 05 Jan 2026 07:08:09 [+-]\d{4}$/);
  const text = messageText('k@h', ['a@b', 'c@d'], { subject: 'x\r\nBcc: evil@x', body: 'one\n.two' }, d);
  t.equal(text, `Date: ${rfc822Date(d)}\r\nFrom: k@h\r\nSubject: x Bcc: evil@x\r\nX-Mailer: Keepalived\r\nTo: a@b, c@d\r\n\r\none\r\n..two\r\n`);
});
