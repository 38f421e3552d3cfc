/**
 * `-R`: each stdin line is split into words and run as its own ipvsadm command line (ipvsadm.c
 * restore_table + config_stream_read). What ipvsadm does on a bad line, lvsadm does too:
 * - a table error (e.g. "Service already exists") is printed and the restore goes on;
 * - a popt error ("--bogus: unknown option") is printed and the restore goes on;
 * - any other argument error (fail(2, …)), a nested -R, -h or -v ends the whole run there;
 * - the exit status is the last line's (0, or 255 for a failed operation or popt error).
 *
 * Consecutive table operations go to the table as one batch, applied in order without stopping (TablePort.apply);
 * each refusal is printed in its line's place — the same effect and output as line by line.
 */
import type { TableOp } from '../model/ops.js';
import { parseCommand, type Command } from './command.js';
import { CliExit, ipvsStrerror } from './errors.js';
import type { Execute, Session } from './session.js';

/**
 * config_stream_read(): words are separated by blanks, tabs and CRs; the word "ipvsadm" is dropped anywhere
 * on a line (so saved `ipvsadm -A …` lines replay), and so is "lvsadm". Lines without words are skipped.
 */
export function restoreLines(text: string): string[][] {
  return text.split('\n')
    .map((line) => line.split(/[ \t\r]+/).filter((w) => w !== '' && w !== 'ipvsadm' && w !== 'lvsadm'))
    .filter((words) => words.length > 0);
}

export async function runRestore(s: Session, execute: Execute): Promise<number> {
  const text = typeof s.io.stdin === 'string' ? s.io.stdin : await s.io.stdin();
  let result = 0;
  let pending: TableOp[] = [];

  const flush = async (): Promise<void> => {
    const ops = pending;
    pending = [];
    if (ops.length === 0) return;
    const results = await s.backend.apply(ops);
    results.forEach((r, i) => {
      if (r) s.io.err(`${ipvsStrerror(ops[i]!.op, r.errno, r.message)}\n`);
    });
    // the status is the last line's
    result = results[results.length - 1] ? 255 : 0;
  };

  for (const words of restoreLines(text)) {
    let cmd: Command;
    try {
      cmd = parseCommand([s.prog, ...words]);
    } catch (e) {
      await flush();
      if (!(e instanceof CliExit) || !e.soft) throw e;
      s.io.err(e.stderr);
      result = 255;
      continue;
    }
    if (cmd.kind === 'apply') {
      pending.push(cmd.op);
      continue;
    }
    await flush();
    result = await execute(cmd, s, true);
  }
  await flush();
  return result;
}
