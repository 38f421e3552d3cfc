// The running daemon mails its transitions: lvsd (proxy plane) TCP_CHECKs a real server on loopback and sends
// smtp_alert mails to OpenSMTPD on loopback (src/testing/mailbox.ts). Killing the real server brings keepalived's
// real-server DOWN mail and the service's quorum-lost mail; its return the UP mail and the regained quorum's.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { missing, tempDir } from '../../src/testing/peers.js';
import { freePort } from '../../src/platform/free-port.js';
import { startMailbox } from '../../src/testing/mailbox.js';
import { startDaemon } from '../../src/testing/daemon.js';
import { KillableServer, until } from '../../src/testing/health-lab.js';

const VIP = '127.0.0.60';
/** delay_loop 1 + connect_timeout 1 + retry 0, the daemon's start, and smtpd's queue run on a shared machine. */
const MAIL_WAIT_MS = 15_000;

t.test('lvsd mails real-server and quorum transitions in keepalived format', { skip: missing('smtpd') ?? false }, async (t) => {
  const tmp = tempDir('daemon-smtp');
  t.teardown(tmp.remove);
  const mailbox = await startMailbox(tmp.dir);
  const { port: smtpPort, smtpd } = mailbox;
  t.teardown(() => smtpd.stop());
  const rs = await KillableServer.start('127.0.0.61');
  t.teardown(() => rs.kill());
  const vport = await freePort(VIP);
  const file = path.join(tmp.dir, 'keepalived.conf');
  writeFileSync(file, `global_defs {
  router_id lb1
  notification_email { root@localhost }
  notification_email_from lvsd@localhost
  smtp_server 127.0.0.1 ${smtpPort}
  smtp_connect_timeout 5
}
virtual_server ${VIP} ${vport} {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop 1
  smtp_alert
  real_server ${rs.host} ${rs.port} {
    weight 1
    TCP_CHECK {
      connect_timeout 1
      retry 0
    }
  }
}
`);
  const d = await startDaemon(['--dataplane', 'proxy', '-f', file]);
  t.teardown(() => d.stop());
  const mails = (): string[] => mailbox.messages();
  const subjects = (): string[] => mails().map((m) => /\nSubject: (.*)\n/.exec(m)?.[1] ?? '(none)');
  const mailWith = (subject: string): Promise<string> =>
    until(`a mail "${subject}"\n${d.log()}\n${smtpd.log()}`, MAIL_WAIT_MS, () => Promise.resolve(mails().find((m) => m.includes(`\nSubject: ${subject}\n`))), 100);

  const rsName = `[${rs.host}]:tcp:${rs.port}`;
  const vsName = `[${VIP}]:tcp:${vport}`;
  // The service gains quorum at start (keepalived: set_quorum_states, then update_quorum_state).
  const start = await mailWith(`[lb1] Virtualserver ${vsName} - UP`);
  t.match(start, /\n\n=> Gained quorum 1\+0=1 <= 1 <=\n/);
  t.same(subjects(), [`[lb1] Virtualserver ${vsName} - UP`], 'a real server alive from the start is not mailed');

  rs.kill();
  const down = await mailWith(`[lb1] Realserver ${rsName} of virtual server ${vsName} - DOWN`);
  t.match(down, /\nFrom: lvsd@localhost\n/);
  t.match(down, /\nX-Mailer: Keepalived\n/);
  t.match(down, /\n\n=> CHECK failed on service <=\n/);
  const lost = await mailWith(`[lb1] Virtualserver ${vsName} - DOWN`);
  t.match(lost, /\n\n=> Lost quorum 1-0=1 > 0 <=\n/);

  await rs.revive();
  const up = await mailWith(`[lb1] Realserver ${rsName} of virtual server ${vsName} - UP`);
  t.match(up, /\n\n=> CHECK succeed on service <=\n/);
  // The regained quorum's mail follows the real server's; wait for it, then nothing more may have come.
  await until(`five mails\n${smtpd.log()}`, MAIL_WAIT_MS, () => Promise.resolve(mails().length >= 5 ? true : undefined), 100);
  t.same(subjects().sort(), [
    `[lb1] Realserver ${rsName} of virtual server ${vsName} - DOWN`,
    `[lb1] Realserver ${rsName} of virtual server ${vsName} - UP`,
    `[lb1] Virtualserver ${vsName} - DOWN`,
    `[lb1] Virtualserver ${vsName} - UP`,
    `[lb1] Virtualserver ${vsName} - UP`,
  ], 'one mail per transition, no repeats');
});
