// npm's install step for the published package: builds the N-API addon in native/ with the node-gyp npm
// ships (on PATH in lifecycle scripts). Node's own headers are used when the system has them (Debian's
// nodejs: /usr/include/node), so an offline host builds too; else node-gyp fetches the headers once.
// A checkout whose addon is already built (scripts/ensure.mjs) is left alone.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const native = new URL('../native/', import.meta.url).pathname;
if (!existsSync(join(native, 'build', 'Release', 'lvsd_native.node'))) {
  const args = ['rebuild'];
  const headers = join(process.execPath, '..', '..', 'include', 'node', 'node_api.h');
  if (existsSync(headers)) args.push(`--nodedir=${join(process.execPath, '..', '..')}`);
  execFileSync('node-gyp', args, { cwd: native, stdio: 'inherit' });
}
