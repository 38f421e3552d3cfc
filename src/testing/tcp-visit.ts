import net from 'node:net';

/** How a test client ends a connection: FIN both ways, an RST, or not yet (the caller ends it later). */
export type VisitEnd = 'clean' | 'reset' | 'hold';

export interface VisitOptions {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  /** A chosen source port (the kernel tier replays exact 5-tuples). */
  readonly localPort?: number;
  readonly end: VisitEnd;
  /** Bound on the whole visit (connect, name line, close). */
  readonly timeoutMs?: number;
}

export interface Visit {
  /** The name line the real server sent (see namedServer). */
  readonly name: string;
  /** The local port used. */
  readonly localPort: number;
  /** For 'hold': ends the held connection later, cleanly or with a reset; resolves once it is closed. */
  finish(how: Exclude<VisitEnd, 'hold'>): Promise<void>;
}

/**
 * One client connection to a service whose real servers say their name first (namedServer): connects
 * from the given address and port, reads the name, then closes cleanly (end, and waits for the peer's
 * FIN), resets (RST) or holds the connection open.
 */
export function visit(o: VisitOptions): Promise<Visit> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host: o.host, port: o.port, localAddress: o.localAddress, localPort: o.localPort, allowHalfOpen: true });
    const timer = setTimeout(() => c.destroy(new Error(`no name from ${o.host}:${o.port} in ${o.timeoutMs ?? 5000} ms`)), o.timeoutMs ?? 5000);
    const closed = new Promise<void>((done) => c.once('close', () => done()));
    const finish = async (how: Exclude<VisitEnd, 'hold'>): Promise<void> => {
      if (how === 'reset') c.resetAndDestroy();
      else {
        // The server echoes and then ends its side when ours ends: both FINs, as a clean close has.
        c.on('end', () => c.destroy());
        c.end();
      }
      await closed;
    };
    let buf = '';
    c.setEncoding('utf8');
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    c.on('data', (d: string) => {
      if (buf.includes('\n')) return;
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      c.removeAllListeners('error');
      c.on('error', () => undefined);
      const v: Visit = { name: buf.slice(0, nl), localPort: c.localPort ?? 0, finish };
      if (o.end === 'hold') resolve(v);
      else finish(o.end).then(() => resolve(v), reject);
    });
  });
}
