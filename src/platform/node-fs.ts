// ConfigFs on node:fs — the one adapter the config stages use. Node 20 has no fs.glob, so glob(3) is the
// pure walk of glob.ts over readdirSync/statSync.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { ConfigFs } from '../config/options.js';
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
 * keepalived reads only regular, non-executable files (check_glob_file() in lib/parser.c); anything else
 * throws here and becomes a diagnostic.
 */
function readConfigFile(path: string): string {
  const st = statSync(path);
  if (!st.isFile()) throw new Error('not a regular file');
  if ((st.mode & 0o111) !== 0) throw new Error('it is executable, and keepalived refuses executable configuration files');
  return readFileSync(path, 'utf8');
}

export function nodeConfigFs(): ConfigFs {
  return { readFile: readConfigFile, glob: (pattern, cwd) => globWalk(pattern, cwd, lister) };
}
