// Installs what a fresh clone lacks before `npm run demo` / `npm test` / `npm run bench`:
// dependencies (npm ci), the native addon (when native/ has one), and the TypeScript build.
// With --packages it also installs the Debian packages the privileged and kernel test tiers use
// (only as root; otherwise it says why it does not).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
const say = (m) => process.stderr.write(`ensure: ${m}\n`);

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(stamp) || statSync(lock).mtimeMs > statSync(stamp).mtimeMs) {
  say('installing dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

if (existsSync(join(root, 'native', 'binding.gyp'))) {
  const built = join(root, 'native', 'build', 'Release');
  if (!existsSync(built) || newest(join(root, 'native', 'src')) > statSync(built).mtimeMs) {
    say('building the native addon');
    run('npx', ['node-gyp', 'rebuild', '--nodedir=/usr'], { cwd: join(root, 'native') });
  }
}

const out = join(root, 'dist', 'src', 'daemon', 'main.js');
const srcNewest = Math.max(newest(join(root, 'src')), newest(join(root, 'bench')), statSync(join(root, 'tsconfig.json')).mtimeMs);
if (!existsSync(out) || srcNewest > statSync(out).mtimeMs) {
  say('building TypeScript');
  run('npx', ['tsc', '-p', 'tsconfig.json']);
  run('chmod', ['+x', out, join(root, 'dist', 'src', 'cli', 'lvsadm.js'), join(root, 'dist', 'src', 'cli', 'genhash.js')]);
}

if (process.argv.includes('--packages')) {
  // What the test tiers use from Debian, each with the file that shows it is installed.
  const wanted = [
    ['/usr/sbin/ip', 'iproute2'], // privileged tier: network namespaces
    ['/usr/share/doc/keepalived/samples', 'keepalived'], // config tests read keepalived's samples; -t comparison
    ['/usr/bin/linux.uml', 'user-mode-linux'], // kernel tier: a 6.1 kernel with IPVS, run as a process
    ['/usr/sbin/modprobe', 'kmod'], // kernel tier: modprobe inside the guest
    ['/usr/sbin/ipvsadm', 'ipvsadm'], // kernel tier: programs and lists kernel IPVS, the reference for lvsadm
    ['/usr/sbin/nginx', 'nginx-light'], // privileged tier: real peer of HTTP_GET / SSL_GET, and of genhash
    ['/usr/sbin/dnsmasq', 'dnsmasq-base'], // privileged tier: real peer of DNS_CHECK
    ['/usr/sbin/smtpd', 'opensmtpd'], // privileged tier: real peer of SMTP_CHECK
    ['/usr/bin/openssl', 'openssl'], // privileged tier: certificates for SSL_GET
    ['/usr/sbin/nft', 'nftables'], // privileged tier: blackholes checker traffic inside a namespace
    ['/usr/bin/promtool', 'prometheus'], // privileged tier: promtool check metrics on a real scrape
    ['/usr/bin/chromium', 'chromium'], // privileged tier: the status page rendered in headless Chromium
  ];
  const missing = wanted.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      say(`not root: cannot install ${missing.join(' ')}; the tests that need them will skip and say so`);
    } else {
      say(`installing Debian packages: ${missing.join(' ')}`);
      run('apt-get', ['update', '-q']);
      run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
  }
}
