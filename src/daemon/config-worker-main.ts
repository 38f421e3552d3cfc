/**
 * Runs inside the config worker (config-worker.ts): reads one keepalived.conf through the whole reader and
 * posts the result back. The reader is the same pure code lvsd -t runs; only the thread differs.
 *
 * The result goes back in parts, each sent when the main thread asks for the next: structured-cloning
 * 100,000 real servers into the main thread's heap is ~700 ms of its event loop in one piece, and Node
 * deserializes every message already queued in one go (issue 11: no pause above 100 ms in a reload). So the
 * head (the configuration with every virtual server's real servers left out) comes first, then the real
 * servers REAL_SERVERS_PER_PART at a time, one part per round trip.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RealServer } from '../model/config-lvs.js';
import { SLICE_UNITS } from '../ports/pause.js';
import { loadConfig, type LoadedConfig } from './config-source.js';

export interface ConfigJob {
  readonly file: string;
  readonly configId: string;
}

/** One part of real servers of the virtual server at `vs` (its index in the head's virtualServers). */
export interface RealServerPart {
  readonly vs: number;
  readonly list: readonly RealServer[];
}

export type ConfigReply =
  | { readonly kind: 'head'; readonly loaded: LoadedConfig; readonly parts: number }
  | ({ readonly kind: 'part' } & RealServerPart)
  | { readonly kind: 'failed'; readonly message: string };

/** The main thread's request for the next part. */
export const NEXT_PART = 'next';

/** ~7 µs each to deserialize (bench/reload-stall.ts at 100,000): a part stays a few ms of the event loop. */
const REAL_SERVERS_PER_PART = SLICE_UNITS;

/** The head without real servers, and the real servers in parts. */
export function splitLoaded(loaded: LoadedConfig): { head: LoadedConfig; parts: RealServerPart[] } {
  const config = loaded.config;
  if (!config) return { head: loaded, parts: [] };
  const parts: RealServerPart[] = [];
  for (const [vs, v] of config.virtualServers.entries()) {
    for (let i = 0; i < v.realServers.length; i += REAL_SERVERS_PER_PART) parts.push({ vs, list: v.realServers.slice(i, i + REAL_SERVERS_PER_PART) });
  }
  const virtualServers = config.virtualServers.map((v) => ({ ...v, realServers: [] }));
  return { head: { ...loaded, config: { ...config, virtualServers } }, parts };
}

function main(port: NonNullable<typeof parentPort>): void {
  const job = workerData as ConfigJob;
  let split: ReturnType<typeof splitLoaded>;
  try {
    split = splitLoaded(loadConfig(job.file, job.configId));
  } catch (e) {
    port.postMessage({ kind: 'failed', message: (e as Error).message } satisfies ConfigReply);
    return;
  }
  const { head, parts } = split;
  let next = 0;
  port.on('message', (m: unknown) => {
    const part = m === NEXT_PART ? parts[next++] : undefined;
    if (part) port.postMessage({ kind: 'part', ...part } satisfies ConfigReply);
  });
  port.postMessage({ kind: 'head', loaded: head, parts: parts.length } satisfies ConfigReply);
}

if (parentPort) main(parentPort);
