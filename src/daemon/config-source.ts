import { existsSync } from 'node:fs';
import os from 'node:os';
import type { KeepalivedConfig } from '../model/config.js';
import { parseConfigFile } from '../config/parse.js';
import { nodeConfigFs } from '../platform/node-fs.js';
import { ConfigBuilder } from '../config/build.js';
import { notActedOn } from '../config/not-acted-on.js';
import { formatDiagnostic, type Diagnostic } from '../config/tree.js';

export interface LoadedConfig {
  /** null when any diagnostic is an error: such a configuration must not be applied. */
  readonly config: KeepalivedConfig | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** keepalived's default config id: the host name up to the first dot. */
export function shortHostname(): string {
  return os.hostname().split('.')[0] ?? '';
}

/** Reads keepalived.conf through all three stages; interface names are checked against this host. */
export function loadConfig(file: string, configId: string): LoadedConfig {
  const builder = new ConfigBuilder({ interfaceExists: (name) => existsSync(`/sys/class/net/${name}`), hostname: os.hostname() });
  // Block by block: a configuration of 10,000 virtual servers never exists as one tree.
  const parsed = parseConfigFile(file, { ...nodeConfigFs(), configId, sink: (node) => builder.add(node) });
  const built = builder.finish();
  const diagnostics = [...parsed.diagnostics, ...built.diagnostics];
  const failed = diagnostics.some((d) => d.severity === 'error');
  if (!failed) diagnostics.push(...notActedOn(built.config));
  return { config: failed ? null : built.config, diagnostics };
}

export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  return ds.map((d) => `${formatDiagnostic(d)}\n`).join('');
}
