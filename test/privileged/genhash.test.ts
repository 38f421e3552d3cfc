import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/platform/free-port.js';
import { hostileTcp } from '../../src/testing/hostile.js';
import { missing, selfSigned, startNginx, tempDir } from '../../src/testing/peers.js';
import { repoRoot } from '../../src/testing/repo.js';

// lvsd-genhash beside keepalived's own genhash (Debian keepalived 2.2.7) on the same nginx pages:
// the same stdout, stderr and exit status, for the digest, SSL with SNI, -v and the failures.

const skip = missing('nginx', 'genhash', 'openssl');
const OURS = path.join(repoRoot(), 'dist', 'src', 'cli', 'genhash.js');

interface Run { out: string; err: string; code: number | null }
const run = (cmd: string, args: string[]): Run => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20000 });
  return { out: r.stdout, err: r.stderr, code: r.status };
};
/** What changes between two fetches of the same page: the Date header (in the dump too) and the time taken. */
const stable = (s: string): string => s.split('\n').filter((l) => !/Date: |GMT|Last-Modified|Global response time/.test(l)).join('\n');

t.test('lvsd-genhash prints what genhash prints', { skip: skip ?? false }, async (t) => {
  execFileSync(process.execPath, [path.join(repoRoot(), 'scripts', 'ensure.mjs')], { stdio: 'ignore' });
  const tmp = tempDir('genhash');
  t.teardown(tmp.remove);
  writeFileSync(path.join(tmp.dir, 'index.html'), 'hello from nginx\n');
  writeFileSync(path.join(tmp.dir, 'big.bin'), Buffer.alloc(300000, 'z'));
  const a = selfSigned(tmp.dir, 'a.test');
  const b = selfSigned(tmp.dir, 'b.test');
  const [http, https] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
  const site = (n: string, c: { cert: string; key: string }): string =>
    `server { listen 127.0.0.1:${https} ssl; server_name ${n}; ssl_certificate ${c.cert}; ssl_certificate_key ${c.key}; location / { return 200 "site ${n}\\n"; } }`;
  const nginx = await startNginx(tmp.dir, `server { listen 127.0.0.1:${http}; root ${tmp.dir}; location /missing { return 404; } }
    ${site('a.test', a)} ${site('b.test', b)}`, ['127.0.0.1', http]);
  t.teardown(() => nginx.stop());
  const silent = await hostileTcp('127.0.0.1', 'silent');
  t.teardown(() => silent.close());

  const cases: [string, string[], (r: Run) => string][] = [
    ['digest of a page', ['-s', '127.0.0.1', '-p', `${http}`, '-u', '/index.html'], (r) => r.out],
    ['a 300 kB body', ['-s', '127.0.0.1', '-p', `${http}`, '-u', '/big.bin', '-P', '1.1'], (r) => r.out],
    ['a 404 is hashed too', ['-s', '127.0.0.1', '-p', `${http}`, '-u', '/missing', '-V', 'example.org'], (r) => r.out],
    ['SSL with SNI a', ['-S', '-I', '-V', 'a.test', '-s', '127.0.0.1', '-p', `${https}`, '-u', '/'], (r) => r.out],
    ['SSL with SNI b', ['--use-ssl', '--use-sni', '--use-virtualhost=b.test', '--server', '127.0.0.1', '--port', `${https}`, '--url', '/'], (r) => r.out],
    ['verbose', ['-v', '-s', '127.0.0.1', '-p', `${http}`, '-u', '/index.html', '-P', '1.0C'], (r) => stable(r.out)],
    ['refused', ['-s', '127.0.0.1', '-p', '1', '-u', '/'], (r) => r.out],
    ['read timeout', ['-s', '127.0.0.1', '-p', `${silent.port}`, '-u', '/', '-t', '1'], (r) => r.out],
    ['SSL to a plain port', ['-S', '-s', '127.0.0.1', '-p', `${http}`, '-u', '/', '-t', '2'], (r) => r.out],
    ['no url', ['-s', '127.0.0.1', '-p', `${http}`], (r) => r.err],
    ['bad server', ['-s', 'nginx', '-p', '80', '-u', '/'], (r) => r.err],
    ['bad port', ['-s', '127.0.0.1', '-p', '70000', '-u', '/'], (r) => r.err],
    ['bad protocol', ['-s', '127.0.0.1', '-p', '80', '-u', '/', '-P', '2'], (r) => r.err],
    ['unknown option', ['-s', '127.0.0.1', '-p', '80', '-u', '/', '-x'], (r) => r.err],
    ['help', ['-h'], (r) => r.err],
  ];
  for (const [name, args, pick] of cases) {
    const theirs = run('genhash', args);
    const ours = run(process.execPath, [OURS, ...args]);
    t.equal(pick(ours), pick(theirs), `${name}: output`);
    t.equal(ours.code, theirs.code, `${name}: exit status ${theirs.code}`);
  }
  t.match(run(process.execPath, [OURS, '-s', '127.0.0.1', '-p', `${http}`, '-u', '/index.html']).out, /^[0-9a-f]{32}\n$/, 'a digest line');
});
