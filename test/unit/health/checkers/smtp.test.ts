import t from 'tap';
import { MAX_LINE, SmtpDialogue, smtpStatus } from '../../../../src/health/checkers/smtp.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

t.test('smtp_get_status: three digits then a space or the end', async (t) => {
  t.equal(smtpStatus('220 mail ESMTP'), 220);
  t.equal(smtpStatus('250'), 250);
  t.equal(smtpStatus('220-multi line'), -1, 'a continuation line is not a status');
  t.equal(smtpStatus('2200 x'), -1);
  t.equal(smtpStatus('HTTP/1.1 200 OK'), -1);
});

t.test('banner, HELO, QUIT: the whole dialogue, lines split anywhere', async (t) => {
  const d = new SmtpDialogue('checker.example');
  t.same(d.feed(b('220 mx.exa')), { kind: 'wait' });
  t.same(d.feed(b('mple ESMTP\r\n')), { kind: 'send', line: 'HELO checker.example\r\n' });
  t.same(d.feed(b('250 mx.example Hello\r\n')), { kind: 'send', line: 'QUIT\r\n' });
  t.match(d.feed(b('221 Bye\r\n')), { kind: 'done', result: { up: true } });
});

t.test('what keepalived counts as failure', async (t) => {
  t.match(new SmtpDialogue('h').feed(b('554 go away\r\n')), { kind: 'done', result: { up: false, reason: 'protocol', detail: /greeting/ } });
  t.match(new SmtpDialogue('h').feed(b('220-first line of many\r\n')), { kind: 'done', result: { up: false } }, 'multi-line banner fails as in keepalived');
  const d = new SmtpDialogue('h');
  d.feed(b('220 ok\r\n'));
  t.match(d.feed(b('501 bad helo\r\n')), { kind: 'done', result: { up: false, detail: /HELO/ } });
  t.match(new SmtpDialogue('h').feed(b('HTTP/1.1 400 Bad Request\r\n')), { kind: 'done', result: { up: false } }, 'garbage');
  t.match(new SmtpDialogue('h').feed(Buffer.alloc(MAX_LINE, 0x41)), { kind: 'done', result: { up: false, detail: /longer than/ } });
  t.match(new SmtpDialogue('h').closed(), { up: false, detail: /banner/ });
});
