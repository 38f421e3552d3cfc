import t from 'tap';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { parseFdLimit, readFdLimit } from '../../../src/platform/fd-limit.js';
import { STOP_BOUND_MS } from '../../../src/daemon/stop-bound.js';

t.test('RLIMIT_NOFILE from /proc/self/limits', async (t) => {
  const text = 'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 524288               files     \n';
  t.same(parseFdLimit(text), { soft: 1024, hard: 524288 });
  t.same(parseFdLimit('Max open files            unlimited            unlimited            files\n'), { soft: Number.MAX_SAFE_INTEGER, hard: Number.MAX_SAFE_INTEGER });
  t.equal(parseFdLimit('garbage'), undefined);
  t.equal(readFdLimit('/nonexistent/limits'), undefined, 'no /proc: unknown, not a crash');
  t.ok(readFdLimit(), 'this process\'s limit is read');
  const child = spawnSync('prlimit', ['--nofile=100:200', process.execPath, '-e', "process.stdout.write(require('fs').readFileSync('/proc/self/limits', 'utf8'))"], { encoding: 'utf8' });
  t.same(parseFdLimit(child.stdout), { soft: 200, hard: 200 }, 'started with soft 100, hard 200: Node raised the soft limit to the hard one itself');
});

t.test('the systemd unit gives a stop more time than lvsd\'s own bound', async (t) => {
  const unit = fs.readFileSync(new URL('../../../deploy/systemd/lvsd.service', import.meta.url), 'utf8');
  const m = /^TimeoutStopSec=(\d+)$/m.exec(unit);
  t.ok(m, 'TimeoutStopSec is set');
  t.ok(Number(m![1]) * 1000 >= STOP_BOUND_MS + 5000, `TimeoutStopSec=${m![1]} s ≥ the ${STOP_BOUND_MS / 1000} s bound plus 5 s to flush and exit`);
});
