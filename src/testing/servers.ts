import net from 'node:net';

/**
 * A tiny real server for proxy tests: on each connection it says its name, then echoes what it reads,
 * so a client learns which real server it reached and can check the relay both ways.
 */
export async function namedServer(host: string, name = host, port = 0): Promise<{ server: net.Server; port: number; accepted: () => number }> {
  let accepted = 0;
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    accepted++;
    s.on('error', () => undefined);
    s.write(`${name}\n`);
    s.pipe(s);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as net.AddressInfo).port, accepted: () => accepted };
}

/** Connects (optionally from a given source address), reads the server's name line, and closes. */
export function whoAnswers(host: string, port: number, localAddress?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    let buf = '';
    c.setEncoding('utf8');
    c.setTimeout(5000, () => c.destroy(new Error('timeout')));
    c.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        resolve(buf.slice(0, nl));
        c.end();
      }
    });
    c.on('error', reject);
    c.on('close', () => reject(new Error(`closed before a name (got '${buf}')`)));
  });
}


