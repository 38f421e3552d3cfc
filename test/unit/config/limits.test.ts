// Issue 11 "A config reader with limits": each attack as a real file (or /proc path, or FIFO), reported in
// bounded time as an error with a stable code and file:line.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigFile } from '../../../src/config/parse.js';
import type { ParseResult } from '../../../src/config/parse.js';
import { nodeConfigFs } from '../../../src/platform/node-fs.js';

const dir = mkdtempSync(join(tmpdir(), 'lvsd-limits-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function timed(name: string, text: string | Buffer): { r: ParseResult; ms: number; file: string } {
  const file = join(dir, name);
  writeFileSync(file, text);
  const started = performance.now();
  const r = parseConfigFile(file, nodeConfigFs());
  return { r, ms: performance.now() - started, file };
}

const errorsOf = (r: ParseResult) => r.diagnostics.filter((d) => d.severity === 'error');

t.test('include /proc/self/pagemap is refused, not read forever', async (t) => {
  const { r, ms } = timed('pagemap.conf', 'includer /proc/self/pagemap\nincluder /proc/kmsg\n');
  t.ok(ms < 2000, `${ms} ms`);
  t.match(errorsOf(r), [{ code: 'LVSD_E_CONFIG_INCLUDE', message: /proc file system/, loc: { line: 1 } }, { loc: { line: 2 }, message: /proc/ }]);
});

t.test('a FIFO is refused without waiting for a writer', async (t) => {
  execFileSync('mkfifo', [join(dir, 'fifo.conf')]);
  const { r, ms } = timed('fifo-main.conf', 'includer fifo.conf\n');
  t.ok(ms < 2000, `${ms} ms`);
  t.match(errorsOf(r), [{ code: 'LVSD_E_CONFIG_INCLUDE', message: /not a regular file/ }]);
});

t.test('~SEQ × ~SEQ over a 60 KB parameter stops at the expansion budget', async (t) => {
  const { r, ms } = timed('seq.conf', `$P=${'x'.repeat(60_000)}\n~SEQ(i,1,1000) ~SEQ(j,1,1000) $P\n`);
  t.ok(ms < 20_000, `${ms} ms`);
  t.match(errorsOf(r), [{ code: 'LVSD_E_CONFIG_LIMIT', message: /more than \d+ characters/, loc: { line: 2 } }]);
});

t.test('1 MB of { keeps a bounded number of findings', async (t) => {
  const { r, ms } = timed('braces.conf', '{'.repeat(1_000_000));
  t.ok(ms < 10_000, `${ms} ms`);
  t.ok(r.diagnostics.length <= 1001, `${r.diagnostics.length} diagnostics`);
  t.match(errorsOf(r).at(-1), { code: 'LVSD_E_CONFIG_LIMIT', loc: { line: 1 } });
});

t.test('1 MB of } keeps 1000 findings and counts the rest', async (t) => {
  const { r } = timed('close.conf', '}\n'.repeat(500_000));
  t.equal(r.diagnostics.length, 1001);
  t.match(r.diagnostics[1000], { code: 'LVSD_E_CONFIG_LIMIT', severity: 'error', message: /499000 further findings/ });
});

t.test('a 50 MB line of "a " is refused before it is split', async (t) => {
  const { r, ms } = timed('line.conf', 'a '.repeat(25_000_000));
  t.ok(ms < 10_000, `${ms} ms`);
  t.match(errorsOf(r), [{ code: 'LVSD_E_CONFIG_LIMIT', message: /longer than 1048576 bytes/, loc: { line: 1 } }]);
});

t.test('NUL bytes are an error naming file:line', async (t) => {
  const { r, file } = timed('nul.conf', Buffer.concat([Buffer.from('global_defs {\n}\n'), Buffer.alloc(4096)]));
  t.match(errorsOf(r), [{ code: 'LVSD_E_CONFIG_SYNTAX', message: /NUL byte/, loc: { file, line: 3 } }]);
});

t.test('more than 64 MiB in all is refused without reading on', async (t) => {
  const { r, ms } = timed('big.conf', Buffer.alloc(65 * 1024 * 1024, 0x0a));
  t.ok(ms < 10_000, `${ms} ms`);
  t.match(errorsOf(r), [{ code: 'LVSD_E_CONFIG_LIMIT', message: /larger than 67108864 bytes/ }]);
});
