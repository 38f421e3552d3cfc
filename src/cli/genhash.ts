#!/usr/bin/env node
/**
 * lvsd-genhash: keepalived's genhash for lvsd — the MD5 digest of a page, for an HTTP_GET/SSL_GET url's
 * `digest`. This file only wires argv, stdout/stderr and the exit status to runGenhash().
 */
import { GENHASH_USAGE, parseGenhashArgs } from './genhash-args.js';
import { runGenhash } from './genhash-run.js';

async function main(): Promise<number> {
  const parsed = parseGenhashArgs(process.argv.slice(2));
  if ('errors' in parsed) {
    process.stderr.write(parsed.errors.map((e) => `${e}\n`).join('') + GENHASH_USAGE);
    return 1;
  }
  return runGenhash(parsed, {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    micros: () => Number(process.hrtime.bigint() / 1000n),
  });
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`lvsd-genhash: ${(e as Error)?.message ?? String(e)}\n`);
  process.exitCode = 1;
});
