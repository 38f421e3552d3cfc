#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseDaemonArgs, USAGE, type DaemonOptions } from './options.js';
import { loadConfig, formatDiagnostics, shortHostname } from './config-source.js';
import { runDaemon } from './run.js';
import { askPlan } from './plan-client.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** -t and --dump-config: read the file, say what is wrong, and exit (keepalived -t semantics: 0 = usable). */
function checkOnly(opts: DaemonOptions & { configFile: string }): number {
  const loaded = loadConfig(opts.configFile, opts.configId ?? shortHostname());
  process.stderr.write(formatDiagnostics(loaded.diagnostics));
  if (!loaded.config) return 1;
  if (opts.dumpConfig) process.stdout.write(`${JSON.stringify(loaded.config, null, 2)}\n`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  let opts: DaemonOptions;
  try {
    opts = parseDaemonArgs(argv);
  } catch (e) {
    process.stderr.write(`lvsd: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (opts.version) {
    process.stdout.write(`lvsd ${version()}\n`);
    return 0;
  }
  if (opts.plan && opts.configFile !== undefined) return askPlan(opts.configFile, opts.control);
  if (opts.configFile !== undefined && (opts.configTest || opts.dumpConfig)) return checkOnly({ ...opts, configFile: opts.configFile });
  return runDaemon(opts, version());
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`lvsd: fatal: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
