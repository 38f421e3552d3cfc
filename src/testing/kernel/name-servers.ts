import { namedServer } from '../servers.js';

/**
 * Real servers for the kernel tier's connection-by-connection tests: `node name-servers.js PORT ADDR…`
 * listens on each ADDR:PORT; each connection is told the address it reached (namedServer: its name
 * line, then an echo that ends when the client ends). Prints "ready" once all listen.
 */

const [port, ...addrs] = process.argv.slice(2);
if (!port || addrs.length === 0) {
  process.stderr.write('usage: name-servers.js PORT ADDR...\n');
  process.exit(2);
}
await Promise.all(addrs.map((a) => namedServer(a, a, Number(port))));
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
