import { createInterface } from 'node:readline';
import { visit, type Visit, type VisitEnd } from '../tcp-visit.js';

/**
 * The kernel tier's client for connection-by-connection tests: `node visit-agent.js` in the client
 * namespace reads one JSON request per line on stdin and answers each with one JSON line on stdout,
 * in order. Requests: {op:'visit', host, port, src, sport, end} connects from src:sport and reports the
 * real server's name; {op:'finish', id, how} ends a connection visited with end 'hold' (by its request
 * id). Failures are answers too ({error}), so the scenario records a refused connection as such.
 * Prints "ready" first.
 */

interface VisitRequest { op: 'visit'; id: number; host: string; port: number; src: string; sport: number; end: VisitEnd }
interface FinishRequest { op: 'finish'; id: number; how: 'clean' | 'reset' }
type Request = VisitRequest | FinishRequest;

const held = new Map<number, Visit>();

async function serve(r: Request): Promise<{ name?: string; error?: string }> {
  if (r.op === 'finish') {
    const v = held.get(r.id);
    if (!v) return { error: `no held connection ${r.id}` };
    held.delete(r.id);
    await v.finish(r.how);
    return {};
  }
  const v = await visit({ host: r.host, port: r.port, localAddress: r.src, localPort: r.sport, end: r.end, timeoutMs: 5000 });
  if (r.end === 'hold') held.set(r.id, v);
  return { name: v.name };
}

const lines = createInterface({ input: process.stdin });
let chain = Promise.resolve();
lines.on('line', (line) => {
  const r = JSON.parse(line) as Request;
  chain = chain.then(async () => {
    const answer = await serve(r).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    process.stdout.write(`${JSON.stringify({ id: r.id, ...answer })}\n`);
  });
});
lines.on('close', () => process.exit(0));
process.stdout.write('ready\n');
