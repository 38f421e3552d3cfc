/**
 * SIGUSR1 and SIGUSR2, as keepalived answers them (keepalived(8) SIGNALS): USR1 writes the data dump to
 * /tmp/keepalived.data, USR2 the statistics to /tmp/keepalived.stats. lvsd also writes its whole state as
 * JSON to /tmp/lvsd.json on USR1 (configuration, table and health), for tools. Each file is written beside and
 * renamed into place, so a reader never sees half a dump; a failure is one log line.
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { KeepalivedConfig } from '../model/config.js';
import type { TableSnapshot } from '../model/table.js';
import type { Logger } from '../ports/logger.js';
import type { VirtualServerSnapshot } from '../health/snapshot.js';
import { dataDump, statsDump } from './dump-format.js';

export interface DumpPaths {
  readonly data: string;
  readonly stats: string;
  readonly json: string;
}

/** keepalived's fixed files; LVSD_DUMP_DIR moves all three (tests, hosts whose /tmp is private). */
export function dumpPaths(env: NodeJS.ProcessEnv): DumpPaths {
  const dir = env.LVSD_DUMP_DIR ?? '/tmp';
  return { data: `${dir}/keepalived.data`, stats: `${dir}/keepalived.stats`, json: `${dir}/lvsd.json` };
}

export interface DumpSource {
  config(): KeepalivedConfig | null;
  /** null while nothing is checked. */
  healthReport(): VirtualServerSnapshot[] | null;
  snapshot(): Promise<TableSnapshot>;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, file);
}

async function snapshotOrNull(src: DumpSource, log: Logger): Promise<TableSnapshot | null> {
  try {
    return await src.snapshot();
  } catch (e) {
    log.warn({ err: e }, 'dump: the data plane did not report its table');
    return null;
  }
}

export async function writeDataDump(src: DumpSource, paths: DumpPaths, log: Logger): Promise<void> {
  const snap = await snapshotOrNull(src, log);
  const cfg = src.config();
  const health = src.healthReport();
  try {
    writeAtomically(paths.data, dataDump(cfg, snap, health));
    writeAtomically(paths.json, `${JSON.stringify({ schema: 'lvsd-dump/1', pid: process.pid, config: cfg, table: snap, health }, null, 2)}\n`);
    log.info({ data: paths.data, json: paths.json }, 'data dump written');
  } catch (e) {
    log.error({ err: e }, `data dump: ${(e as Error).message}`);
  }
}

export async function writeStatsDump(src: DumpSource, paths: DumpPaths, log: Logger): Promise<void> {
  const snap = await snapshotOrNull(src, log);
  try {
    writeAtomically(paths.stats, statsDump(snap));
    log.info({ stats: paths.stats }, 'stats dump written');
  } catch (e) {
    log.error({ err: e }, `stats dump: ${(e as Error).message}`);
  }
}

/** Installs USR1/USR2; returns the function that removes them (on stop). */
export function installDumpSignals(src: DumpSource, paths: DumpPaths, log: Logger): () => void {
  const usr1 = () => void writeDataDump(src, paths, log);
  const usr2 = () => void writeStatsDump(src, paths, log);
  process.on('SIGUSR1', usr1);
  process.on('SIGUSR2', usr2);
  return () => {
    process.off('SIGUSR1', usr1);
    process.off('SIGUSR2', usr2);
  };
}
