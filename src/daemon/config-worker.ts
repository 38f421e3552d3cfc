/**
 * Reading keepalived.conf off the thread that serves traffic. Parsing and building 100,000 real servers
 * takes seconds (issue 11: a reload of 40,000 froze the proxy plane and the control socket for 11.3 s);
 * in a worker thread the event loop keeps relaying and answering lvsadm meanwhile, and only the finished
 * model (plain data, structured-cloned) comes back, in parts the event loop takes one per turn
 * (config-worker-main.ts).
 *
 * One worker per read, with its own heap cap: a file that still exhausts memory kills the worker, not
 * lvsd, and the reload fails with one sentence like any bad file (the old table stays).
 */
import { Worker } from 'node:worker_threads';
import type { LoadedConfig } from './config-source.js';
import type { RealServer } from '../model/config-lvs.js';
import { NEXT_PART, type ConfigJob, type ConfigReply } from './config-worker-main.js';

/** The worker's V8 old generation, MB: above the reader's own budgets (~1 GB for 100,000 real servers is not needed). */
const WORKER_HEAP_MB = 1536;
const WORKER_TIMEOUT_MS = 300_000;

/** The worker's entry beside this module: .js when built, .ts when run from source (tests, benches). */
function entry(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./config-worker-main${ext}`, import.meta.url);
}

export function loadConfigInWorker(file: string, configId: string): Promise<LoadedConfig> {
  const job: ConfigJob = { file, configId };
  return new Promise<LoadedConfig>((resolve, reject) => {
    const worker = new Worker(entry(), { workerData: job, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      f();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`reading ${file} took longer than ${WORKER_TIMEOUT_MS / 1000} s`))), WORKER_TIMEOUT_MS);
    let head: LoadedConfig | null = null;
    let left = 0;
    const reals: RealServer[][] = [];
    worker.on('message', (r: ConfigReply) => {
      if (r.kind === 'failed') return finish(() => reject(new Error(`reading ${file} failed: ${r.message}`)));
      if (r.kind === 'head') {
        head = r.loaded;
        left = r.parts;
        for (const _ of head.config?.virtualServers ?? []) reals.push([]);
      } else {
        left--;
        for (const rs of r.list) reals[r.vs]?.push(rs);
      }
      if (left > 0) worker.postMessage(NEXT_PART);
      else if (head) {
        const whole = joinParts(head, reals);
        finish(() => resolve(whole));
      }
    });
    worker.once('error', (e) => finish(() => reject(new Error(`reading ${file} failed in the config worker: ${e.message}`))));
    worker.once('exit', (code) => finish(() => reject(new Error(`the config worker reading ${file} exited (${code}) without an answer`))));
  });
}

/** The head with each virtual server's real servers put back. */
function joinParts(head: LoadedConfig, reals: readonly RealServer[][]): LoadedConfig {
  const config = head.config;
  if (!config) return head;
  return { ...head, config: { ...config, virtualServers: config.virtualServers.map((v, i) => ({ ...v, realServers: reals[i] ?? [] })) } };
}
