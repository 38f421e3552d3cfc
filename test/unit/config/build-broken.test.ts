// A corpus of broken configurations, one defect each (test/fixtures/config/broken/*.conf). The first line
// says `# expect CODE: message pattern`; the defective line ends with `# <- here`. Each file must be
// rejected with that error on that line, and with no error anywhere else.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { buildConfig } from '../../../src/config/build.js';
import { parseConfigFile } from '../../../src/config/parse.js';
import { nodeConfigFs } from '../../../src/platform/node-fs.js';
import { formatDiagnostic } from '../../../src/config/tree.js';

const DIR = new URL('../../fixtures/config/broken/', import.meta.url).pathname;
const files = readdirSync(DIR).filter((f) => f.endsWith('.conf')).sort();

t.test('the corpus is big enough to matter', async (t) => {
  t.ok(files.length >= 25, `${files.length} broken configurations`);
});

for (const f of files) {
  t.test(f, async (t) => {
    const text = readFileSync(DIR + f, 'utf8');
    const lines = text.split('\n');
    const head = /^# expect (LVSD_E_[A-Z_]+): (.+)$/.exec(lines[0] ?? '');
    if (!head) throw new Error(`${f}: first line must be "# expect CODE: pattern"`);
    const marked = lines.flatMap((l, i) => (l.endsWith('# <- here') ? [i + 1] : []));
    t.equal(marked.length, 1, 'exactly one line is marked');
    const parsed = parseConfigFile(DIR + f, nodeConfigFs());
    const built = buildConfig(parsed.nodes);
    const errors = [...parsed.diagnostics, ...built.diagnostics].filter((d) => d.severity === 'error');
    const hit = errors.find((d) => d.loc.line === marked[0] && d.code === head[1] && new RegExp(head[2]!).test(d.message));
    t.ok(hit, `an ${head[1]} error at line ${marked[0]} matching /${head[2]}/`, { found: errors.map(formatDiagnostic) });
    t.same(errors.filter((d) => d.loc.line !== marked[0]).map(formatDiagnostic), [], 'no error elsewhere');
  });
}
