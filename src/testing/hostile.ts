/**
 * Peers that misbehave on purpose, on loopback, for the checker tests: each shows the prober a failure
 * it must turn into a result, in bounded memory and time. Every server records what it was sent.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export type Misbehaviour =
  /** Accepts and never answers. */
  | 'silent'
  /** A 200 header, then `floodBytes` of body as fast as the socket takes it. */
  | 'flood'
  /** Bytes that are no HTTP (or SMTP) at all, then close. */
  | 'garbage'
  /** A 200 header and part of a body, then a TCP reset. */
  | 'reset'
  /** A fixed reply, then close. */
  | 'reply';

export interface HostileServer {
  readonly port: number;
  /** What each connection sent, in order. */
  readonly received: Buffer[];
  /** Body bytes the flood wrote (to show the prober read them and kept none). */
  flooded(): number;
  close(): Promise<void>;
}

export async function hostileTcp(host: string, how: Misbehaviour, opts: { reply?: string; floodBytes?: number } = {}): Promise<HostileServer> {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let flooded = 0;
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    const at = received.push(Buffer.alloc(0)) - 1;
    s.on('data', (d: Buffer) => { received[at] = Buffer.concat([received[at] ?? Buffer.alloc(0), d]).subarray(0, 65536); });
    switch (how) {
      case 'silent':
        return;
      case 'garbage':
        s.end(Buffer.from('\x00\xff\xfe garbage \x7f\r\n\r\n\x01\x02', 'latin1'));
        return;
      case 'reply':
        s.end(opts.reply ?? '');
        return;
      case 'reset':
        // Reset only once the bytes are out: resetting with a write pending closes with a plain FIN.
        s.write('HTTP/1.0 200 OK\r\nContent-Length: 100000\r\n\r\npartial body', () => setTimeout(() => s.resetAndDestroy(), 20));
        return;
      case 'flood': {
        const total = opts.floodBytes ?? 100 * 1024 * 1024;
        const chunk = Buffer.alloc(256 * 1024, 0x62);
        s.write('HTTP/1.0 200 OK\r\n\r\n');
        const pump = (): void => {
          while (flooded < total && !s.destroyed) {
            const n = Math.min(chunk.length, total - flooded);
            flooded += n;
            if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void s.once('drain', pump);
          }
          if (!s.destroyed) s.end();
        };
        pump();
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    flooded: () => flooded,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

export interface UdpPeer {
  readonly port: number;
  readonly received: Buffer[];
  close(): Promise<void>;
}

/** A UDP server answering each datagram with answer(datagram) (null: stay silent). */
export async function udpServer(host: string, answer: (d: Buffer) => Buffer | null): Promise<UdpPeer> {
  const s = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  const received: Buffer[] = [];
  s.on('message', (m, rinfo) => {
    received.push(m);
    const r = answer(m);
    if (r) s.send(r, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => s.bind(0, host, resolve));
  return { port: s.address().port, received, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
}
