/**
 * Shared by the lvsadm tests: run lvsadm against a backend and capture its streams; read golden listings.
 *
 * Golden files in test/fixtures/lvsadm/ are written the way the reference shows listings: every line ends
 * in `$` (as `cat -A` marks it), so trailing blanks are visible in the file and in a failing diff, and no
 * editor can strip them. `visible()` turns real output into that form for comparison.
 */
import { readFileSync } from 'node:fs';
import { runLvsadm } from '../../../src/cli/run.js';
import type { Backend } from '../../../src/cli/backend.js';
import type { ConnEntry, TableSnapshot } from '../../../src/model/table.js';
import type { TableOp } from '../../../src/model/ops.js';

export interface Ran {
  code: number;
  out: string;
  err: string;
}

export async function lvsadm(argv: string[], backend: Backend, stdin = ''): Promise<Ran> {
  let out = '';
  let err = '';
  const code = await runLvsadm(argv, { stdin, out: (s) => { out += s; }, err: (s) => { err += s; }, prog: 'ipvsadm' }, backend);
  return { code, out, err };
}

/** Each line with a `$` at its end, tabs as ^I: trailing blanks become visible. */
export function visible(s: string): string {
  return s.split('\n').map((l, i, all) => (i === all.length - 1 && l === '' ? '' : `${l.replace(/\t/g, '^I')}$`)).join('\n');
}

export function golden(name: string): string {
  return readFileSync(new URL(`../../fixtures/lvsadm/${name}.txt`, import.meta.url), 'utf8');
}

/** A backend that only serves a fixed snapshot (and connections), for listings. */
export function fixedBackend(snapshot: TableSnapshot, conns: ConnEntry[] = []): Backend & { ops: TableOp[] } {
  const ops: TableOp[] = [];
  return {
    ops,
    apply: async (o) => { ops.push(...o); return { ok: true }; },
    snapshot: async () => snapshot,
    connections: async () => conns,
  };
}
