#!/usr/bin/env node
/**
 * lvsadm: ipvsadm 1.31's command line for lvsd. This file only wires the process to runLvsadm(): argv, the
 * program name, stdin (read only for -R), stdout/stderr, the exit status and the backend: the daemon's control
 * socket, or kernel IPVS directly with --kernel or when no daemon socket exists (and none was named).
 * `--overrides` (lvsadm's own, first) lists the daemon's operator overrides instead (overrides.ts);
 * `--health` what its checkers say (health.ts).
 */
import { existsSync } from 'node:fs';
import type { TablePort } from '../ports/table.js';
import { FdWriter } from './fd-writer.js';
import { programName, takeControlOption } from './control-option.js';
import { runLvsadm } from './run.js';
import { resolveSocketPath } from '../control/socket-path.js';
import { listOverrides, OVERRIDES_OPTION } from './overrides.js';
import { HEALTH_OPTION, listHealth } from './health.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const stdout = new FdWriter(1);
const stderr = new FdWriter(2, 4096);

/** What stdout holds goes first, so the two streams interleave as they would unbuffered. */
function printError(s: string): void {
  stdout.flush();
  stderr.write(s);
  stderr.flush();
}

/**
 * The backend's modules are loaded only for the backend used: each module costs its compilation, and under
 * user-mode Linux (no vDSO) every clock read V8 makes for it is a system call.
 */
async function openBackend(kernel: boolean, socket: string): Promise<TablePort> {
  if (kernel) return new (await import('./kernel-backend.js')).KernelBackend();
  return new (await import('./client.js')).SocketBackend(socket);
}

async function main(): Promise<number> {
  const { control, kernel, rest } = takeControlOption(process.argv.slice(2));
  const socket = resolveSocketPath(control);
  const named = control !== undefined || process.env['LVSD_SOCKET'] !== undefined;
  if (rest[0] === OVERRIDES_OPTION || rest[0] === HEALTH_OPTION) {
    const { SocketBackend } = await import('./client.js');
    const source = kernel ? null : new SocketBackend(socket);
    const list = rest[0] === HEALTH_OPTION ? listHealth : listOverrides;
    try {
      return await list(rest.slice(1), source, (s) => { stdout.write(s); }, printError);
    } finally {
      source?.close();
    }
  }
  const backend = await openBackend(kernel || (!named && !existsSync(socket)), socket);
  try {
    return await runLvsadm(rest, {
      stdin: readStdin,
      out: (s) => { stdout.write(s); },
      err: printError,
      prog: programName(process.argv[1]),
    }, backend);
  } finally {
    await backend.close();
  }
}

main().then((code) => {
  stdout.flush();
  process.exitCode = code;
}).catch((e: unknown) => {
  // `lvsadm -Ln | head` closes our stdout early; ipvsadm dies of SIGPIPE there, quietly
  if (e instanceof Error && (e as NodeJS.ErrnoException).code === 'EPIPE') return;
  printError(`lvsadm: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
