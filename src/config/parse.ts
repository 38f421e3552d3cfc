// Public entry of the first two config stages: text or file → ConfigNode tree + diagnostics. Options not
// given fall back to the real file system, the process's directory and Math.random; everything below
// (blocks.ts and its helpers) is pure and receives them.
import { DEFAULT_LIMITS, type ConfigFs, type ParseOptions, type ParseResult } from './options.js';
import { parseBlocks, type MainSource, type ParseEnv } from './blocks.js';
import { nodeConfigFs } from '../platform/node-fs.js';
import { resolve } from './path.js';

export type { ParseOptions, ParseResult } from './options.js';

function env(opts: ParseOptions): ParseEnv {
  const real = nodeConfigFs();
  const fs: ConfigFs = { readFile: opts.readFile ?? real.readFile, glob: opts.glob ?? real.glob };
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
