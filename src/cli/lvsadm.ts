#!/usr/bin/env node
/**
 * lvsadm: ipvsadm 1.31's command line for lvsd. This file only wires the process to runLvsadm(): argv, the
 * program name, stdin (read only for -R), stdout/stderr, the exit status and the backend: the daemon's control
 * socket, or kernel IPVS directly with --kernel or when no daemon socket exists (and none was named).
 */
import { existsSync } from 'node:fs';
import { SocketBackend } from './client.js';
import { KernelBackend } from './kernel-backend.js';
import { programName, takeControlOption } from './control-option.js';
import { runLvsadm } from './run.js';
import { resolveSocketPath } from './socket-path.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const { control, kernel, rest } = takeControlOption(process.argv.slice(2));
  const socket = resolveSocketPath(control);
  const named = control !== undefined || process.env['LVSD_SOCKET'] !== undefined;
  const backend = kernel || (!named && !existsSync(socket)) ? new KernelBackend() : new SocketBackend(socket);
  try {
    return await runLvsadm(rest, {
      stdin: readStdin,
      out: (s) => { process.stdout.write(s); },
      err: (s) => { process.stderr.write(s); },
      prog: programName(process.argv[1]),
    }, backend);
  } finally {
    await backend.close();
  }
}

// `lvsadm -Ln | head` closes our stdout early; ipvsadm dies of SIGPIPE there, quietly
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`lvsadm: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
