/**
 * runLvsadm(): one ipvsadm-compatible invocation against a table (TablePort), with no process or socket of its own —
 * the entry point (lvsadm.ts) supplies those, tests supply an in-memory table.
 *
 * Unlike ipvsadm, which opens IPVS before it even parses (so -h fails without the module), lvsadm reaches
 * the backend only when a command needs the table: -h, -v and argument errors work without a daemon.
 */
import type { SnapshotNeed, TablePort } from '../ports/table.js';
import { BackendError, BackendUnavailable } from './backend.js';
import { newFormat, type Format } from './args/entry.js';
import { parseCommand, type Command } from './command.js';
import { CliExit, ipvsStrerror, tryHelp, type ErrorContext } from './errors.js';
import { listConnections, listDaemons, listTimeout } from './format/conns.js';
import { listAll, listService } from './format/list.js';
import { runRestore } from './restore.js';
import { saveRules } from './save.js';
import type { CliIo, Session } from './session.js';

export type { CliIo } from './session.js';

/** Runs lvsadm with `argv` (the arguments after the program name); resolves to the exit status. */
export async function runLvsadm(argv: readonly string[], io: CliIo, backend: TablePort): Promise<number> {
  const s: Session = { io, backend, prog: io.prog ?? 'lvsadm' };
  try {
    // no arguments at all: list the table, names not numeric (ipvsadm's list_all(FMT_NONE))
    const cmd: Command = argv.length === 0
      ? { kind: 'list', what: { kind: 'all' }, format: newFormat() }
      : parseCommand([s.prog, ...argv]);
    return await execute(cmd, s, false);
  } catch (e) {
    if (e instanceof CliExit) {
      if (e.stdout) io.out(e.stdout);
      if (e.stderr) io.err(e.stderr);
      return e.status;
    }
    if (e instanceof BackendUnavailable) {
      io.err(`${s.prog}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function execute(cmd: Command, s: Session, readingStdin: boolean): Promise<number> {
  switch (cmd.kind) {
    case 'apply': {
      const [refused] = await s.backend.apply([cmd.op]);
      if (!refused) return 0;
      s.io.err(`${ipvsStrerror(cmd.op.op, refused.errno, refused.message)}\n`);
      return 255;
    }
    case 'restore':
      if (readingStdin) throw tryHelp(s.prog);
      return runRestore(s, execute);
    case 'save':
      saveRules(await read(s, (b) => b.snapshot('table')), cmd.format, (text) => s.io.out(text));
      return 0;
    case 'list':
      await listing(cmd, s);
      return 0;
  }
}

/** Prints a listing; the large ones (-L of the whole table) piece by piece. */
async function listing(cmd: Extract<Command, { kind: 'list' }>, s: Session): Promise<void> {
  const f = cmd.format;
  const what = cmd.what;
  const out = (text: string): void => s.io.out(text);
  switch (what.kind) {
    case 'connections': return out(listConnections(await read(s, (b) => b.connections()), f));
    case 'timeout': return out(listTimeout((await read(s, (b) => b.snapshot('settings'))).timeouts));
    case 'daemon': return out(listDaemons((await read(s, (b) => b.snapshot('settings'))).daemons));
    case 'all': return listAll(await read(s, (b) => b.snapshot(need(f))), f, out);
    case 'service': {
      const text = listService(await read(s, (b) => b.snapshot(need(f)), 'get-service'), what.service, f);
      if (text === null) throw new CliExit(1, `${ipvsStrerror('get-service', 'ESRCH', 'No such service')}\n`);
      return out(text);
    }
  }
}

/** Per-real-server counters and settings are only printed by these listing options. */
function need(f: Format): SnapshotNeed {
  return f.stats || f.rate || f.thresholds || f.persistentConn ? 'full' : 'table';
}

/** A read that fails on the daemon's side ends the listing with its message and status 1, as in ipvsadm. */
async function read<T>(s: Session, f: (b: TablePort) => Promise<T>, context: ErrorContext = 'list'): Promise<T> {
  try {
    return await f(s.backend);
  } catch (e) {
    if (e instanceof BackendError) throw new CliExit(1, `${ipvsStrerror(context, e.error.errno, e.error.message)}\n`);
    throw e;
  }
}
