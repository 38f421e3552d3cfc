import http from 'node:http';

/**
 * A real server for the kernel tier's lab: `node http-server.js NAME [PORT]` answers every request with
 * its NAME, so a client can count which real server IPVS chose. It listens on the wildcard address because
 * in DR and TUN modes requests arrive addressed to the VIP, not to the server's own address.
 * Prints "ready" once listening, which is what the scenario waits for.
 */

const [name, port = '80'] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: http-server.js NAME [PORT]\n');
  process.exit(2);
}
const server = http.createServer((req, res) => {
  req.resume();
  res.end(name);
});
server.listen(Number(port), '0.0.0.0', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
