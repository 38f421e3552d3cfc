// SMTP alerts delivered by a real mail server: OpenSMTPD on loopback (src/testing/mailbox.ts) accepts lvsd's
// mails and the test reads them back as delivered.
import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { missing, tempDir } from '../../src/testing/peers.js';
import { startMailbox } from '../../src/testing/mailbox.js';
import { freePort } from '../../src/platform/free-port.js';
import { SmtpAlerter } from '../../src/platform/alerts/smtp-alerter.js';
import type { Logger } from '../../src/ports/logger.js';
import { alertConfig } from '../unit/platform/alerts/fixtures/config.js';

const lines: string[] = [];
const log: Logger = {
  info: (_o, m) => void lines.push(`info ${m}`), warn: (_o, m) => void lines.push(`warn ${m}`),
  error: (_o, m) => void lines.push(`error ${m}`), debug: () => undefined, child: () => log,
};

t.test('VRRP and real-server alerts arrive in keepalived format', { skip: missing('smtpd') ?? false }, async (t) => {
  const tmp = tempDir('smtp-alert');
  t.teardown(tmp.remove);
  const mailbox = await startMailbox(tmp.dir);
  const { port, smtpd } = mailbox;
  t.teardown(() => smtpd.stop());
  const cfg = alertConfig(tmp.dir, `notification_email { root@localhost nobody@localhost }
notification_email_from lvsd@localhost
smtp_server 127.0.0.1 ${port}
smtp_helo_name lb1.test
smtp_connect_timeout 5
smtp_alert`);
  const alerter = new SmtpAlerter(cfg.global, { log, hostname: 'lb1' });
  const vs = cfg.virtualServers[0]!;
  alerter.vrrpState(cfg.vrrpInstances[0]!, 'MASTER');
  alerter.realServer(vs, vs.realServers[0]!, false);
  await alerter.idle();
  t.same(lines, ['info SMTP alert successfully sent', 'info SMTP alert successfully sent'], smtpd.log());
  // Two messages to two recipients: four deliveries, each a whole file once renamed to *.eml.
  const until = Date.now() + 10_000;
  while (mailbox.messages().length < 4 && Date.now() < until) await sleep(100);
  const delivered = mailbox.messages();
  t.equal(delivered.length, 4, smtpd.log());
  const vrrp = delivered.filter((m) => m.includes('Subject: [lb1] VRRP Instance VI_1 - Entering MASTER state'));
  t.equal(vrrp.length, 2, 'the VRRP mail reached both recipients');
  t.match(vrrp[0], /\nFrom: lvsd@localhost\n/);
  t.match(vrrp[0], /\nX-Mailer: Keepalived\n/);
  t.match(vrrp[0], /\nTo: root@localhost, nobody@localhost\n/);
  t.match(vrrp[0], /\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}\n/);
  t.match(vrrp[0], /\n\n=> VRRP Instance is now owning VRRP VIPs <=\n/);
  t.match(vrrp[0], /Received: from lb1\.test /, 'HELO carried smtp_helo_name');
  const rs = delivered.filter((m) => m.includes('Subject: [lb1] Realserver [198.51.100.7]:tcp:8080 of virtual server [192.0.2.10]:tcp:80 - DOWN'));
  t.equal(rs.length, 2);
  t.match(rs[0], /\n\n=> CHECK failed on service <=\n/);
});

t.test('a dead mail server costs a log line, not the caller', async (t) => {
  const tmp = tempDir('smtp-dead');
  t.teardown(tmp.remove);
  const port = await freePort('127.0.0.1');
  const cfg = alertConfig(tmp.dir, `notification_email { root@localhost }\nsmtp_server 127.0.0.1 ${port}\nsmtp_connect_timeout 1\nsmtp_alert`);
  lines.length = 0;
  const alerter = new SmtpAlerter(cfg.global, { log, hostname: 'lb1' });
  alerter.vrrpState(cfg.vrrpInstances[0]!, 'BACKUP');
  await alerter.idle();
  t.equal(lines.length, 1);
  t.match(lines[0], /^warn SMTP connect: 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
});
