// Public entry of the first two config stages: text or file → ConfigNode tree + diagnostics. Options not
// given fall back to the process's directory and Math.random; files are read only through the readFile/glob
// the caller passes (src/platform/node-fs.ts on node:fs), so this layer stays pure. Everything below
// (blocks.ts and its helpers) receives them.
import { DEFAULT_LIMITS, type ConfigFs, type ParseOptions, type ParseResult } from './options.js';
import { parseBlocks, type MainSource, type ParseEnv } from './blocks.js';
import { resolve } from './path.js';

export type { ParseOptions, ParseResult } from './options.js';

/** Without a file system every read fails with this, and the failure becomes a diagnostic at its line. */
const NO_FILES: ConfigFs = {
  readFile: () => {
    throw new Error('no file system was given to the parser');
  },
  glob: () => [],
};

function env(opts: ParseOptions): ParseEnv {
  const fs: ConfigFs = { readFile: opts.readFile ?? NO_FILES.readFile, glob: opts.glob ?? NO_FILES.glob };
  return {
    fs,
    configId: opts.configId,
    instance: opts.instance ?? opts.configId ?? '',
    random: opts.random ?? ((min, max) => min + Math.floor(Math.random() * (max - min + 1))),
    allConfig: opts.allConfig ?? false,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    sink: opts.sink,
  };
}

const cwdOf = (opts: ParseOptions): string => resolve('/', opts.cwd ?? process.cwd());

/** Parses configuration text; includes are read relative to `opts.file` (default keepalived.conf in cwd). */
export function parseConfigText(text: string, opts: ParseOptions = {}): ParseResult {
  const display = opts.file ?? 'keepalived.conf';
  const main: MainSource = { path: resolve(cwdOf(opts), display), display, text };
  return parseBlocks(main, env(opts));
}

/** Reads and parses a configuration file; like keepalived -f, `path` may be a glob pattern. */
export function parseConfigFile(path: string, opts: ParseOptions = {}): ParseResult {
  const main: MainSource = { path: resolve(cwdOf(opts), path), display: path, text: null };
  return parseBlocks(main, env(opts));
}
