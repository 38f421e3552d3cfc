/**
 * lvsd --plan: what a reload with another file would do to the table now, computed from the live table
 * and changing nothing. It plans what core.ts's load() applies on a reload (the file's table, operator
 * overrides cleared, timeouts and sync daemons), so an operator sees the ops before sending SIGHUP.
 */
import path from 'node:path';
import type { TableSnapshot } from '../model/table.js';
import type { PlanView } from '../control/protocol-status.js';
import { formatDiagnostic } from '../config/tree.js';
import { desiredTable } from '../reconcile/desired.js';
import { planTable } from '../reconcile/diff.js';
import { describeOp } from '../reconcile/loop.js';
import { planSettings } from '../reconcile/settings.js';
import type { LoadedConfig } from './config-source.js';

export async function planReload(file: string, load: (file: string) => LoadedConfig, snapshot: () => Promise<TableSnapshot>): Promise<PlanView> {
  if (!path.isAbsolute(file)) return { usable: false, ops: [], changes: [], diagnostics: [`${file}: the daemon needs an absolute path`] };
  const loaded = load(file);
  const diagnostics = loaded.diagnostics.map(formatDiagnostic);
  if (!loaded.config) return { usable: false, ops: [], changes: [], diagnostics };
  const observed = await snapshot();
  const ops = [...planSettings(loaded.config, observed.daemons), ...planTable(desiredTable(loaded.config), observed)];
  return { usable: true, ops, changes: ops.map(describeOp), diagnostics };
}
