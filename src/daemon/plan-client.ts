/**
 * `lvsd --plan -f NEW.conf`: asks the running lvsd (its control socket) what a reload with NEW.conf would
 * change, prints the operations on stdout and the file's diagnostics on stderr, and changes nothing.
 * Exit status: 0 the file is usable (the ops are what SIGHUP would apply now), 1 it has errors (a reload
 * would keep the old table), 2 no lvsd answered.
 */
import path from 'node:path';
import { BackendError, BackendUnavailable } from '../cli/backend.js';
import { SocketBackend } from '../cli/client.js';
import { resolveSocketPath } from '../control/socket-path.js';

export async function askPlan(file: string, control: string | undefined): Promise<number> {
  const abs = path.resolve(file);
  const client = new SocketBackend(resolveSocketPath(control));
  try {
    const plan = await client.plan(abs);
    for (const d of plan.diagnostics) process.stderr.write(`${d}\n`);
    if (!plan.usable) {
      process.stderr.write(`lvsd --plan: ${abs} has errors; a reload with it would change nothing\n`);
      return 1;
    }
    const n = plan.changes.length;
    process.stdout.write(n === 0 ? `a reload with ${abs} would change nothing\n` : `a reload with ${abs} would apply ${n} operation${n === 1 ? '' : 's'}:\n`);
    for (const c of plan.changes) process.stdout.write(`  ${c}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof BackendUnavailable || e instanceof BackendError)) throw e;
    process.stderr.write(`lvsd --plan: ${e.message}\n`);
    return 2;
  } finally {
    client.close();
  }
}
