/**
 * The Backend lvsadm uses in production: lvsd's control socket (protocol.ts). One connection, opened on the
 * first request and reused for the rest of the run; requests are answered in order.
 */
import net from 'node:net';
import type { TableOp } from '../model/ops.js';
import type { ConnEntry, TableSnapshot } from '../model/table.js';
import type { VirtualServerSnapshot } from '../health/snapshot.js';
import { TableError, isTableErrno } from '../model/errors.js';
import type { TablePort, TableResult } from '../ports/table.js';
import { BackendError, BackendUnavailable, type OpError } from './backend.js';
import { parseJsonLine, parseResponse, requestLine, type ControlRequest, type ControlResponse, type DistributiveOmit } from '../control/protocol.js';

type Outgoing = DistributiveOmit<ControlRequest, 'id'>;

interface Waiter {
  readonly id: number;
  resolve(r: ControlResponse): void;
  reject(e: Error): void;
}

export class SocketBackend implements TablePort {
  private sock: net.Socket | null = null;
  private connecting: Promise<net.Socket> | null = null;
  private buf = '';
  private nextId = 1;
  private readonly waiting: Waiter[] = [];

  constructor(readonly socketPath: string, private readonly timeoutMs = 60_000) {}

  /**
   * The daemon applies a request until an op is refused (applyUntilFailure) and says which; the ops after it
   * go again as the next request, so every op gets its result, as TablePort.apply promises.
   */
  async apply(ops: readonly TableOp[]): Promise<TableResult[]> {
    const results: TableResult[] = [];
    while (results.length < ops.length) {
      const rest = ops.slice(results.length);
      const r = await this.call({ method: 'apply', ops: rest });
      if (r.ok) {
        for (let i = 0; i < rest.length; i++) results.push(null);
      } else if (!('index' in r)) {
        throw new BackendUnavailable(`lvsd refused the request: ${r.error.message}`);
      } else if (r.index >= rest.length) {
        throw new BackendUnavailable(`lvsd reported a failure of operation ${r.index} of ${rest.length}`);
      } else {
        for (let i = 0; i < r.index; i++) results.push(null);
        results.push(refusal(r.error));
      }
    }
    return results;
  }

  async snapshot(): Promise<TableSnapshot> {
    const r = await this.call({ method: 'snapshot' });
    if (r.ok && 'snapshot' in r) return r.snapshot;
    throw this.readFailure(r, 'snapshot');
  }

  async connections(): Promise<readonly ConnEntry[]> {
    const r = await this.call({ method: 'connections' });
    if (r.ok && 'connections' in r) return r.connections;
    throw this.readFailure(r, 'connections');
  }

  /** The operator overrides lvsd holds (lvsadm --overrides). */
  async overrides(): Promise<readonly TableOp[]> {
    const r = await this.call({ method: 'overrides' });
    if (r.ok && 'overrides' in r) return r.overrides;
    throw this.readFailure(r, 'overrides');
  }

  /** Every real server's checkers and state (lvsadm --health); [] when lvsd runs no checker. */
  async health(): Promise<readonly VirtualServerSnapshot[]> {
    const r = await this.call({ method: 'health' });
    if (r.ok && 'health' in r) return r.health;
    throw this.readFailure(r, 'health');
  }

  async close(): Promise<void> {
    this.drop();
  }

  private drop(): void {
    this.sock?.destroy();
    this.sock = null;
    this.connecting = null;
  }

  private readFailure(r: ControlResponse, what: string): Error {
    return r.ok ? new BackendUnavailable(`lvsd answered without ${what}`) : new BackendError(r.error);
  }

  private async call(req: Outgoing): Promise<ControlResponse> {
    const sock = await this.connect();
    const id = this.nextId++;
    return new Promise<ControlResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failAll(new BackendUnavailable(`lvsd at ${this.socketPath} did not answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      const done = (): void => clearTimeout(timer);
      this.waiting.push({ id, resolve: (r) => { done(); resolve(r); }, reject: (e) => { done(); reject(e); } });
      sock.write(requestLine(id, req));
    });
  }

  private connect(): Promise<net.Socket> {
    if (this.sock) return Promise.resolve(this.sock);
    this.connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(this.socketPath);
      s.setEncoding('utf8');
      s.once('connect', () => { this.sock = s; resolve(s); });
      s.on('error', (e: NodeJS.ErrnoException) => {
        const err = new BackendUnavailable(`cannot reach lvsd at ${this.socketPath}: ${e.code ?? e.message} (is lvsd running? --control PATH or LVSD_SOCKET selects another socket)`);
        reject(err);
        this.failAll(err);
      });
      s.on('close', () => this.failAll(new BackendUnavailable(`lvsd at ${this.socketPath} closed the connection`)));
      s.on('data', (chunk: string) => this.onData(chunk));
    });
    return this.connecting;
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (line.trim() !== '') this.onLine(line);
    }
  }

  private onLine(line: string): void {
    const j = parseJsonLine(line);
    const r = j.ok ? parseResponse(j.value) : j;
    if (!r.ok) return this.failAll(new BackendUnavailable(`lvsd sent a malformed reply: ${r.error}`));
    const w = this.waiting[0];
    if (!w) return;
    // answers come in request order; one out of step means the stream cannot be trusted any more
    if (r.value.id !== null && r.value.id !== w.id) {
      return this.failAll(new BackendUnavailable(`lvsd answered request ${r.value.id} while ${w.id} was pending`));
    }
    this.waiting.shift();
    w.resolve(r.value);
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(e);
    this.drop();
  }
}

/** A refused op as the wire carries it; an errno no table operation has means the daemon is not one lvsadm knows. */
function refusal(e: OpError): TableError {
  if (e.errno === undefined || !isTableErrno(e.errno)) {
    throw new BackendUnavailable(`lvsd refused an operation with ${e.errno ?? 'no errno'}: ${e.message}`);
  }
  return new TableError(e.errno, e.message);
}
