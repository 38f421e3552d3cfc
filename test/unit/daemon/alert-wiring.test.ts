import t from 'tap';
import { tempDir } from '../../../src/testing/peers.js';
import { DaemonAlerts } from '../../../src/daemon/alert-wiring.js';
import type { SmtpEnvelope, SmtpTarget } from '../../../src/platform/alerts/smtp-client.js';
import type { Logger } from '../../../src/ports/logger.js';
import { alertConfig } from '../platform/alerts/fixtures/config.js';

// Which transitions the daemon mails: the alerter exists only once a configuration names recipients and a server,
// instances in a mailing sync group are mailed as the group only, no_email_faults drops FAULT, and a quorum change
// carries its figures. Mails go to a recording sender in place of the SMTP client (tested against OpenSMTPD in
// test/privileged/smtp-alert.test.ts and daemon-smtp-alert.test.ts).

const log: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => log };
const tmp = tempDir('alert-wiring');
t.teardown(tmp.remove);

function recorder(): { alerts: DaemonAlerts; sent: string[] } {
  const sent: string[] = [];
  const send = (_t: SmtpTarget, env: SmtpEnvelope): Promise<void> => {
    sent.push(`${/Subject: (.*)\r\n/.exec(env.data)?.[1] ?? ''} | ${/\r\n\r\n(.*)\r\n/.exec(env.data)?.[1] ?? ''}`);
    return Promise.resolve();
  };
  return { alerts: new DaemonAlerts(log, 'host', send), sent };
}

const MAIL = 'notification_email { ops@example.org }\nsmtp_server 127.0.0.1 2525';

t.test('no alerter until a configuration names recipients and a server; a reload keeps it', async (t) => {
  const { alerts, sent } = recorder();
  alerts.configure(alertConfig(tmp.dir, 'smtp_alert'));
  t.equal(alerts.smtp, null, 'smtp_alert without a server builds nothing');
  const cfg = alertConfig(tmp.dir, `${MAIL}\nsmtp_alert`);
  alerts.configure(cfg);
  const first = alerts.smtp;
  t.not(first, null);
  alerts.configure(alertConfig(tmp.dir, 'smtp_alert'));
  t.equal(alerts.smtp, first, 'the same alerter, now without a server');
  alerts.health({ kind: 'rs-transition', vs: cfg.virtualServers[0]!, rs: cfg.virtualServers[0]!.realServers[0]!, up: false });
  await alerts.idle();
  t.same(sent, [], 'a reload that drops smtp_server stops the mails');
});

t.test('health transitions: real server and quorum mails with keepalived subjects', async (t) => {
  const { alerts, sent } = recorder();
  const cfg = alertConfig(tmp.dir, `${MAIL}\nsmtp_alert`);
  alerts.configure(cfg);
  const vs = cfg.virtualServers[0]!;
  alerts.health({ kind: 'rs-transition', vs, rs: vs.realServers[0]!, up: false });
  alerts.health({ kind: 'vs-transition', vs, up: false, figures: 'Lost quorum 1-0=1 > 0' });
  await alerts.idle();
  t.same(sent, [
    '[lb1] Realserver [198.51.100.7]:tcp:8080 of virtual server [192.0.2.10]:tcp:80 - DOWN | => CHECK failed on service <=',
    '[lb1] Virtualserver [192.0.2.10]:tcp:80 - DOWN | => Lost quorum 1-0=1 > 0 <=',
  ]);
});

t.test('VRRP: a member of a mailing sync group is mailed as the group; no_email_faults drops FAULT', async (t) => {
  const { alerts, sent } = recorder();
  const cfg = alertConfig(tmp.dir, `${MAIL}\nsmtp_alert\nno_email_faults`);
  alerts.configure(cfg);
  const inst = cfg.vrrpInstances[0]!;
  const group = { ...inst, name: 'G1', instances: [inst.name], notify: inst.notify, smtpAlert: true, trackingWeight: false, notifyPriorityChanges: null };
  alerts.vrrpInstance(inst, undefined, 'MASTER');
  alerts.vrrpInstance(inst, group, 'BACKUP');
  alerts.vrrpGroup(group, 'BACKUP');
  alerts.vrrpGroup({ ...group, smtpAlert: false }, 'MASTER');
  alerts.vrrpInstance(inst, undefined, 'FAULT');
  await alerts.idle();
  t.same(sent, [
    '[lb1] VRRP Instance VI_1 - Entering MASTER state | => VRRP Instance is now owning VRRP VIPs <=',
    '[lb1] VRRP Group G1 - Entering BACKUP state | => VRRP Instance is nolonger owning VRRP VIPs <=',
  ]);
});
