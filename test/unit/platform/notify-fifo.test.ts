import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotifyFifoWriter } from '../../../src/platform/notify-fifo.js';

// notify_fifo as keepalived's fifo_open/fifo_close: made 0644 if missing (and removed on close), an existing one
// kept, its _script given the path, writes that never block (a full FIFO drops the line), a non-FIFO refused.

const script = { argv: ['/bin/true'], user: null, group: null } as const;

function tmp(t: Test): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvsd-fifo-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

t.test('made when missing, lines arrive whole and in order, removed on close', async (t) => {
  const file = path.join(tmp(t), 'fifo');
  const started: string[] = [];
  const { writer, error } = NotifyFifoWriter.open({ path: file, user: null, group: null, script }, (p) => started.push(p));
  t.equal(error, null, 'opened');
  t.ok(fs.statSync(file).isFIFO(), 'a FIFO');
  t.equal(fs.statSync(file).mode & 0o777, 0o644 & ~process.umask(), 'mode 0644 (less the umask)');
  t.same(started, [file], 'the _script gets the FIFO path');
  const reader = fs.createReadStream(file, { encoding: 'utf8' });
  let got = '';
  reader.on('data', (d) => { got += String(d); });
  writer!.write('RS [10.0.0.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN');
  writer!.write('VS [10.0.0.1]:tcp:80 DOWN');
  for (let i = 0; i < 100 && !got.includes('VS'); i++) await new Promise((r) => setTimeout(r, 20));
  t.equal(got, 'RS [10.0.0.2]:tcp:80 [10.0.0.1]:tcp:80 DOWN\nVS [10.0.0.1]:tcp:80 DOWN\n', 'both lines, whole, in order');
  reader.destroy();
  writer!.close();
  t.notOk(fs.existsSync(file), 'the FIFO lvsd made is removed');
});

t.test('without a reader a full FIFO drops lines instead of blocking; an existing FIFO stays', async (t) => {
  const file = path.join(tmp(t), 'fifo');
  execFileSync('mkfifo', [file]);
  const { writer } = NotifyFifoWriter.open({ path: file, user: null, group: null, script: null }, () => undefined);
  const line = 'x'.repeat(100);
  for (let i = 0; i < 2000; i++) writer!.write(line);
  t.ok(writer!.dropped > 0, `${writer!.dropped} of 2000 lines dropped once the pipe buffer filled`);
  writer!.close();
  t.ok(fs.statSync(file).isFIFO(), 'a FIFO lvsd did not make is left in place');
});

t.test('a script alone gets a temporary FIFO; a path that is no FIFO is refused', async (t) => {
  const dir = tmp(t);
  let given = '';
  const { writer } = NotifyFifoWriter.open({ path: null, user: null, group: null, script }, (p) => { given = p; });
  t.ok(fs.statSync(given).isFIFO(), `a temporary FIFO at ${given}`);
  writer!.close();
  t.notOk(fs.existsSync(given), 'removed on close');
  const plain = path.join(dir, 'plain');
  fs.writeFileSync(plain, '');
  t.match(NotifyFifoWriter.open({ path: plain, user: null, group: null, script: null }, () => undefined), { writer: null, error: /exists and is not a FIFO/ });
  t.match(NotifyFifoWriter.open({ path: path.join(dir, 'no/such/dir/fifo'), user: null, group: null, script: null }, () => undefined), { writer: null, error: /cannot create notify FIFO/ });
});
