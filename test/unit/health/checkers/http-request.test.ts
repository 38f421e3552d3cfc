import t from 'tap';
import { readFileSync } from 'node:fs';
import { parseIp } from '../../../../src/model/address.js';
import { hostHeader, httpRequest } from '../../../../src/health/checkers/http-request.js';
import type { HttpCheck } from '../../../../src/model/config-checkers.js';

interface Golden { addr: string; port: number; path: string; protocol: HttpCheck['httpProtocol']; vhost: string | null; bytes: string }
const golden = JSON.parse(readFileSync(new URL('../../../fixtures/checkers/keepalived-http-requests.json', import.meta.url), 'utf8')) as { requests: Golden[] };

t.test('requests are byte for byte what keepalived 2.2.7 sent', async (t) => {
  t.equal(golden.requests.length, 8, 'every protocol with and without virtualhost, and IPv6');
  for (const g of golden.requests) {
    const addr = parseIp(g.addr);
    if (!addr) throw new Error(`bad fixture address ${g.addr}`);
    const got = Buffer.from(httpRequest(g.path, g.protocol, hostHeader(g.vhost, addr, g.port)));
    t.same(got, Buffer.from(g.bytes, 'latin1'), `${g.protocol} ${g.addr} vhost=${g.vhost}`);
  }
});
