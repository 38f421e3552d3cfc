import type { ClientTally } from './http-client.js';
import type { HttpCase } from './http-modes.js';
import type { Asserts } from './scenario.js';

/** What the lvsd-kernel scenario (lvsd-kernel.ts) brings back from the guest, and the host's checks on it. */

export interface RestartRun {
  tally: ClientTally;
  /** lvsd's exit status after SIGTERM. */
  exitCode: number | null;
  /** `ipvsadm -Sn` while no lvsd ran. */
  stoppedSave: string;
  /** Every distinct `ipvsadm -Sn` sampled from before the stop until the client finished. */
  listings: string[];
  /** The second start's "configuration applied": changes it made and changes the kernel refused. */
  applied: number;
  failed: number;
  /** Milestones, ms after the client started: SIGTERM sent, second lvsd done applying, client done. */
  stopMs: number;
  restartedMs: number;
  clientEndMs: number;
  /** "table reconciled" lines of the second lvsd (any is a change it made). */
  secondReconciled: number;
  flushedOnStop: boolean;
}

export interface ModeRun {
  case: HttpCase;
  expectedSave: string;
  /** `ipvsadm -Sn` after lvsd's first start. */
  save: string;
  applied: number;
  tally: ClientTally;
  drift?: { afterDelete: { status: number | null; stderr: string }; repairedMs: number; change: string; afterRepair: string };
  restart?: RestartRun;
  /** `ipvsadm -L --timeout` and `ipvsadm -L --daemon` with lvsd running. */
  timeouts?: string;
  daemons?: string;
  /** lvsd's error lines (a refused sync daemon shows here with its errno). */
  refused?: string[];
  /** `ipvsadm -Sn` after the last lvsd stopped (the table must stay). */
  afterStop?: string;
}

export interface LvsdKernelData {
  modes: ModeRun[];
  ipvsadmVersion: string;
}

function checkRestart(t: Asserts, m: ModeRun, r: RestartRun): void {
  t.equal(r.tally.failures, 0, `no failed request across the restart (${r.tally.requests} requests; ${r.tally.errors.join('; ') || 'no errors'})`);
  t.ok(r.stopMs < r.restartedMs && r.restartedMs < r.clientEndMs,
    `the client ran throughout: stop at ${r.stopMs} ms, restarted by ${r.restartedMs} ms, client done at ${r.clientEndMs} ms`);
  t.equal(r.exitCode, 0, 'lvsd exits 0 on SIGTERM');
  t.equal(r.flushedOnStop, false, 'stopping did not flush the table');
  t.equal(r.stoppedSave, m.expectedSave, 'with lvsd stopped the kernel table is unchanged');
  t.same(r.listings, [m.expectedSave], `the table never changed across stop and start (${r.listings.length} distinct listing(s))`);
  t.equal(r.applied, 0, 'the second start adopted the table: 0 changes');
  t.equal(r.failed, 0, 'the second start had no refused change');
  t.equal(r.secondReconciled, 0, 'the second lvsd logged no table change');
}

function checkGlobals(t: Asserts, m: ModeRun): void {
  t.match(m.timeouts, /Timeout \(tcp tcpfin udp\): 901 121 301/, 'lvs_timeouts shows in ipvsadm -L --timeout');
  const daemons = m.daemons ?? '';
  const refused = (m.refused ?? []).filter((l) => l.includes('sync daemon'));
  if (refused.length > 0) {
    t.comment(`the guest kernel refused lvs_sync_daemon: ${refused.join('; ')}`);
    t.fail('lvs_sync_daemon applied');
    return;
  }
  t.match(daemons, /master sync daemon \(mcast=lan0, syncid=7/, 'lvs_sync_daemon: master daemon in ipvsadm -L --daemon');
  t.match(daemons, /backup sync daemon \(mcast=lan0, syncid=7/, 'lvs_sync_daemon: backup daemon in ipvsadm -L --daemon');
}

export function checkLvsd(t: Asserts, data: LvsdKernelData): void {
  t.comment(data.ipvsadmVersion);
  for (const m of data.modes) {
    const c = m.case;
    const label = c.mode.toUpperCase();
    t.equal(m.save, m.expectedSave, `${label}: ipvsadm -Sn shows exactly the configured table`);
    t.equal(m.applied, 1 + c.weights.length, `${label}: lvsd made one change per service and real server`);
    t.equal(m.tally.failures, 0, `${label}: no failed requests (${m.tally.errors.join('; ') || 'none'})`);
    t.same(m.tally.answers, c.expect, `${label}: ${c.scheduler} over weights ${c.weights.join(':')} splits ${c.requests} connections exactly`);
    if (m.drift) {
      t.equal(m.drift.afterDelete.status, 0, `${label}: ipvsadm -d removed a real server (${m.drift.afterDelete.stderr.trim() || 'no complaint'})`);
      t.match(m.drift.change, /^add-dest /, `${label}: lvsd logged "table reconciled" for ${m.drift.change}`);
      t.equal(m.drift.afterRepair, m.expectedSave, `${label}: lvsd put it back in ${m.drift.repairedMs} ms`);
    }
    if (m.restart) checkRestart(t, m, m.restart);
    if (m.timeouts !== undefined) checkGlobals(t, m);
    if (m.afterStop !== undefined) t.equal(m.afterStop, m.expectedSave, `${label}: the table stays after lvsd stops`);
  }
}
