#!/usr/bin/env node
/**
 * lvsadm: ipvsadm 1.31's command line for lvsd. This file only wires the process to runLvsadm(): argv, the
 * program name, stdin (read only for -R), stdout/stderr, the exit status and the control-socket backend.
 *
 * `--control PATH` (or `--control=PATH`) anywhere in argv picks the socket and is not passed on; ipvsadm has
 * no such option, so no ipvsadm command line changes meaning.
 */
import path from 'node:path';
import { SocketBackend } from './client.js';
import { runLvsadm } from './run.js';
import { resolveSocketPath } from './socket-path.js';

/** Splits off --control; the rest is the ipvsadm argv. */
export function takeControlOption(argv: readonly string[]): { control: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let control: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '--control' && i + 1 < argv.length) control = argv[++i];
    else if (a.startsWith('--control=')) control = a.slice('--control='.length);
    else rest.push(a);
  }
  return { control, rest };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const { control, rest } = takeControlOption(process.argv.slice(2));
  const prog = path.basename(process.argv[1] ?? 'lvsadm').replace(/\.js$/, '');
  const backend = new SocketBackend(resolveSocketPath(control));
  try {
    return await runLvsadm(rest, {
      stdin: readStdin,
      out: (s) => { process.stdout.write(s); },
      err: (s) => { process.stderr.write(s); },
      prog,
    }, backend);
  } finally {
    backend.close();
  }
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`lvsadm: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
