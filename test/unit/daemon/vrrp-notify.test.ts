// VrrpNotifier: keepalived's FIFO lines on notify_fifo and vrrp_notify_fifo in order, notify_<state> then `notify`
// with TYPE NAME STATE PRIORITY run without a shell, settle() waiting for them, and a FIFO nobody reads never
// blocking lvsd.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VrrpNotifier } from '../../../src/daemon/vrrp-notify.js';
import { SystemClock } from '../../../src/platform/clock.js';
import { ProcessScriptRunner } from '../../../src/platform/script-runner.js';
import { fifoLines } from '../../../src/testing/vrrp-lab.js';
import type { Logger } from '../../../src/ports/logger.js';
import { build } from '../config/fixtures/build.js';

function recordingLog(): { log: Logger; warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const log: Logger = {
    info: () => {}, debug: () => {},
    warn: (_o, m) => { warnings.push(m); },
    error: (_o, m) => { errors.push(m); },
    child: () => log,
  };
  return { log, warnings, errors };
}

t.test('FIFO lines in order on both FIFOs; notify_master, then notify with keepalived’s arguments', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-notify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const script = path.join(dir, 'n.sh');
  writeFileSync(script, '#!/bin/sh\necho "$(basename "$0") $*" >> "$(dirname "$0")/calls"\n', { mode: 0o755 });
  writeFileSync(path.join(dir, 'm.sh'), '#!/bin/sh\necho "m.sh $*" >> "$(dirname "$0")/calls"\n', { mode: 0o755 });
  const cfg = build(`global_defs {\n notify_fifo ${dir}/all.fifo\n vrrp_notify_fifo ${dir}/vrrp.fifo\n}\n`).config;
  const { log, errors } = recordingLog();
  const n = new VrrpNotifier(cfg, new ProcessScriptRunner(), log);
  t.teardown(() => n.close());
  t.ok(statSync(`${dir}/vrrp.fifo`).isFIFO(), 'a missing FIFO is created, as keepalived does');
  const spec = (p: string) => ({ argv: [p], user: null, group: null });
  const notify = { master: spec(path.join(dir, 'm.sh')), backup: null, fault: null, stop: null, any: spec(script) };
  n.state('INSTANCE', 'VI_1', notify, 'BACKUP', 100);
  n.state('INSTANCE', 'VI_1', notify, 'MASTER', 100);
  n.state('GROUP', 'G', notify, 'MASTER', 100);
  n.event('VI_1', 'MASTER_RX_LOWER_PRI', 100, null);
  await n.settle(new SystemClock(), 5_000);
  const want = ['INSTANCE "VI_1" BACKUP 100', 'INSTANCE "VI_1" MASTER 100', 'GROUP "G" MASTER 0', 'INSTANCE "VI_1" MASTER_RX_LOWER_PRI 100'];
  t.same(fifoLines(`${dir}/all.fifo`), want, 'notify_fifo');
  t.same(fifoLines(`${dir}/vrrp.fifo`), want, 'vrrp_notify_fifo');
  const calls = readFileSync(`${dir}/calls`, 'utf8').split('\n').filter(Boolean).sort();
  t.same(calls, ['m.sh ', 'm.sh ', 'n.sh GROUP G MASTER 0', 'n.sh INSTANCE VI_1 BACKUP 100', 'n.sh INSTANCE VI_1 MASTER 100'].sort());
  t.same(errors, []);
});

t.test('a FIFO nobody reads fills up: lines are dropped with a warning, lvsd never blocks', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lvsd-notify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const cfg = build(`global_defs {\n vrrp_notify_fifo ${dir}/v.fifo\n}\n`).config;
  const { log, warnings } = recordingLog();
  const n = new VrrpNotifier(cfg, new ProcessScriptRunner(), log);
  t.teardown(() => n.close());
  const none = { master: null, backup: null, fault: null, stop: null, any: null };
  // A pipe holds 64 KiB; 5,000 lines of ~30 bytes overflow it.
  for (let i = 0; i < 5_000; i++) n.state('INSTANCE', `VI_${i}`, none, 'MASTER', 100);
  t.ok(warnings.length > 0 && warnings.every((w) => w === 'notify FIFO line dropped'), `${warnings.length} lines dropped, each said`);
  t.ok(fifoLines(`${dir}/v.fifo`)[0] === 'INSTANCE "VI_0" MASTER 100', 'what fitted is there, in order');
});

t.test('a FIFO that cannot be made is an error once, then nothing', async (t) => {
  const { log, errors } = recordingLog();
  const cfg = build('global_defs {\n vrrp_notify_fifo /nonexistent-dir/v.fifo\n}\n').config;
  const n = new VrrpNotifier(cfg, new ProcessScriptRunner(), log);
  n.state('INSTANCE', 'VI_1', { master: null, backup: null, fault: null, stop: null, any: null }, 'MASTER', 1);
  n.close();
  t.same(errors, ['cannot open the notify FIFO; its lines are dropped']);
});
