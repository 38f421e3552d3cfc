/**
 * Runs inside the config worker (config-worker.ts): reads one keepalived.conf through the whole reader and
 * posts the result back. The reader is the same pure code lvsd -t runs; only the thread differs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig, type LoadedConfig } from './config-source.js';

export interface ConfigJob {
  readonly file: string;
  readonly configId: string;
}

export type ConfigReply = { readonly ok: true; readonly loaded: LoadedConfig } | { readonly ok: false; readonly message: string };

const job = workerData as ConfigJob;
let reply: ConfigReply;
try {
  reply = { ok: true, loaded: loadConfig(job.file, job.configId) };
} catch (e) {
  reply = { ok: false, message: (e as Error).message };
}
parentPort?.postMessage(reply);
