/**
 * The metrics endpoint: GET /metrics, /status.json and / (the status page). Bounded so that a slow or
 * hostile client cannot hold the daemon: GET and HEAD only, request headers at most 8 KiB, a request
 * must arrive within 5 s, at most 32 connections, and one /metrics render at a time (a scrape that arrives
 * while one renders waits for it: Prometheus scrapes may overlap).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import type { Logger } from '../ports/logger.js';
import type { StatusSources } from '../ports/status.js';
import { MetricsRenderer } from './scrape.js';
import { statusDoc } from './status-doc.js';
import { STATUS_PAGE } from './page.js';

export const MAX_HEADER_BYTES = 8192;
export const REQUEST_TIMEOUT_MS = 5000;
export const MAX_CONNECTIONS = 32;

/** HOST:PORT as --metrics takes it: an IPv6 host in brackets. */
export function parseListen(s: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(s);
  if (!m) return null;
  const port = Number(m[3]);
  return port <= 65535 ? { host: m[1] ?? m[2]!, port } : null;
}

/** Resolves when the response drains or closes, leaving no listener behind (a scrape waits many times). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export class MetricsServer {
  private readonly server: Server;
  private readonly renderer: MetricsRenderer;

  constructor(private readonly sources: StatusSources, private readonly log: Logger) {
    this.renderer = new MetricsRenderer(sources);
    this.server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log.error({ err, url: req.url }, 'metrics request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    });
    this.server.maxConnections = MAX_CONNECTIONS;
    this.server.keepAliveTimeout = REQUEST_TIMEOUT_MS;
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /**
   * Streams a scrape (chunked): between slices it waits for the socket to drain, so a slow reader costs
   * memory of one slice, and stops when the reader has gone.
   */
  private async scrape(res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': this.renderer.contentType, 'cache-control': 'no-store' });
    await this.renderer.render({
      write: (chunk) => { res.write(chunk); },
      pause: async () => {
        if (res.destroyed) throw new Error('the scraper went away');
        if (res.writableNeedDrain) await drainedOrClosed(res);
        else await yieldTurn();
      },
    });
    res.end();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('only GET and HEAD\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    let body: string;
    let type: string;
    switch (path) {
      case '/metrics':
        if (req.method === 'HEAD') {
          res.writeHead(200, { 'content-type': this.renderer.contentType });
          res.end();
        } else {
          await this.scrape(res);
        }
        return;
      case '/status.json':
        body = JSON.stringify(await statusDoc(this.sources, Date.now()));
        type = 'application/json';
        break;
      case '/':
        body = STATUS_PAGE;
        type = 'text/html; charset=utf-8';
        break;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found: try /metrics, /status.json or /\n');
        return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}
