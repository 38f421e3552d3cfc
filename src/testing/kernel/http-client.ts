import http from 'node:http';

/**
 * The kernel tier's client: `node http-client.js URL COUNT BUDGET_MS` makes up to COUNT sequential
 * requests, each on a new connection (so the scheduler decides every one), stops early when BUDGET_MS
 * has passed, and prints one JSON line: answers per server name, failures, and the first few errors.
 */

export interface ClientTally {
  answers: Record<string, number>;
  requests: number;
  failures: number;
  errors: string[];
  elapsedMs: number;
}

const REQUEST_TIMEOUT_MS = 2000;
const ERRORS_KEPT = 5;

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
      // A response cut short may close without 'end' or 'error'; unsettled, the client would exit silently.
      res.on('close', () => { if (!res.complete) reject(new Error('response closed before its end')); });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const [url, count, budget] = process.argv.slice(2);
  if (!url || !count || !budget) throw new Error('usage: http-client.js URL COUNT BUDGET_MS');
  const started = Date.now();
  const tally: ClientTally = { answers: {}, requests: 0, failures: 0, errors: [], elapsedMs: 0 };
  for (let i = 0; i < Number(count) && Date.now() - started < Number(budget); i++) {
    tally.requests++;
    try {
      const name = await get(url);
      tally.answers[name] = (tally.answers[name] ?? 0) + 1;
    } catch (e) {
      tally.failures++;
      if (tally.errors.length < ERRORS_KEPT) tally.errors.push(`#${i}: ${(e as Error).message}`);
    }
  }
  tally.elapsedMs = Date.now() - started;
  process.stdout.write(`${JSON.stringify(tally)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`http-client: ${(e as Error).message}\n`);
  process.exit(2);
});
