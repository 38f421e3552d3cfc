import t from 'tap';
import net from 'node:net';
import { sendMail, SmtpError } from '../../../../src/platform/alerts/smtp-client.js';

/** A loopback server that runs `talk` on each connection; returns its port and what it received. */
async function server(talk: (s: net.Socket, got: () => string) => void): Promise<{ port: number; got: () => string; close: () => void }> {
  let data = '';
  const conns: net.Socket[] = [];
  const srv = net.createServer((s) => {
    conns.push(s);
    s.on('data', (d) => { data += d.toString('latin1'); });
    s.on('error', () => undefined);
    talk(s, () => data);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  return { port, got: () => data, close: () => { conns.forEach((c) => c.destroy()); srv.close(); } };
}

const target = (port: number, timeoutMs = 500) => ({ host: '127.0.0.1', port, helo: 'lb1', timeoutMs });
const env = { from: 'k@h', to: ['a@b'], data: 'Subject: s\r\n\r\nbody\r\n' };

t.test('a server that never greets: the reply timeout ends it', async (t) => {
  const s = await server(() => undefined);
  t.teardown(s.close);
  const started = Date.now();
  await t.rejects(sendMail(target(s.port, 300), env), { stage: 'greeting', message: /no reply within 300 ms/ });
  t.ok(Date.now() - started < 2000);
});

t.test('an endless reply line is cut at 1024 bytes', async (t) => {
  const s = await server((c) => c.write('220-' + 'x'.repeat(100_000)));
  t.teardown(s.close);
  await t.rejects(sendMail(target(s.port), env), { message: /longer than 1024 bytes/ });
});

t.test('garbage and a refusal name the stage', async (t) => {
  const g = await server((c) => c.write('hello there\r\n'));
  t.teardown(g.close);
  await t.rejects(sendMail(target(g.port), env), { stage: 'greeting', message: /malformed reply line 'hello there'/ });
  const r = await server((c) => {
    c.write('220 hi\r\n');
    c.on('data', (d) => c.write(d.toString().startsWith('HELO') ? '250 ok\r\n' : '550 no\r\n'));
  });
  t.teardown(r.close);
  const e = await sendMail(target(r.port), env).catch((x: unknown) => x);
  t.ok(e instanceof SmtpError);
  t.match(e, { stage: 'MAIL', message: /answered 550, expected 250/ });
});

t.test('connection refused is a connect error', async (t) => {
  const s = await server(() => undefined);
  s.close();
  await t.rejects(sendMail(target(s.port), env), { stage: 'connect', message: /ECONNREFUSED/ });
});

t.test('multi-line replies are read whole; the exchange is keepalived\'s', async (t) => {
  const s = await server((c) => {
    c.write('220-first\r\n220 last\r\n');
    let buf = '';
    c.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const inData = buf.startsWith('Subject');
        const end = inData ? buf.indexOf('\r\n.\r\n') : buf.indexOf('\r\n');
        if (end < 0) return;
        const cmd = buf.slice(0, end);
        buf = buf.slice(end + (inData ? 5 : 2));
        c.write(inData ? '250 queued\r\n' : cmd === 'DATA' ? '354 go\r\n' : cmd === 'QUIT' ? '221 bye\r\n' : '250-a\r\n250 b\r\n');
      }
    });
  });
  t.teardown(s.close);
  await sendMail(target(s.port), { ...env, to: ['a@b', 'c@d'] });
  t.equal(s.got(), 'HELO lb1\r\nMAIL FROM:<k@h>\r\nRCPT TO:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nSubject: s\r\n\r\nbody\r\n.\r\nQUIT\r\n');
});
