// ConfigFs on node:fs — the one adapter the config stages use. Node 20 has no fs.glob, so glob(3) is the
// pure walk of glob.ts over readdirSync/statSync.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, statSync, statfsSync } from 'node:fs';
import { FileTooLarge, type ConfigFs } from '../config/options.js';
import { globWalk, type DirectoryLister } from '../config/glob.js';

const lister: DirectoryLister = {
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  kind(path) {
    try {
      return statSync(path).isDirectory();
    } catch {
      return null;
    }
  },
};

/**
 * File systems whose "regular files" are kernel interfaces: sizes are made up (0 for /proc/self/pagemap,
 * which never ends), a read may block (/proc/kmsg) or have effects. f_type values from linux/magic.h.
 */
const PSEUDO_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x63677270, 'cgroup2'],
  [0x27e0eb, 'cgroup'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x1cd1, 'devpts'],
]);

const CHUNK = 1 << 16;

/**
 * keepalived reads only regular, non-executable files (check_glob_file() in lib/parser.c); lvsd also
 * refuses files of kernel pseudo file systems, opens without blocking (a FIFO would wait for a writer)
 * and stops reading past `maxBytes`. Anything refused throws here and becomes a diagnostic.
 */
function readConfigFile(path: string, maxBytes: number): string {
  const pseudo = PSEUDO_FS.get(Number(statfsSync(path).type));
  if (pseudo !== undefined) throw new Error(`it is on the ${pseudo} file system, which holds kernel interfaces, not configuration`);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    if ((st.mode & 0o111) !== 0) throw new Error('it is executable, and keepalived refuses executable configuration files');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte past the budget tells "exactly full" from "too large".
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes - total + 1));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new FileTooLarge(maxBytes);
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export function nodeConfigFs(): ConfigFs {
  return { readFile: readConfigFile, glob: (pattern, cwd) => globWalk(pattern, cwd, lister) };
}
