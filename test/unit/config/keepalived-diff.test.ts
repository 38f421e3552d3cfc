// Differential check against the installed keepalived: `keepalived -t` reports every top-level statement
// of these inputs as "(Line N) Unknown keyword 'WORD'", which shows how keepalived itself preprocessed
// them (conditionals, parameters, multi-line definitions, ~SEQ/~LST). lvsd must produce the same words at
// the same lines. Inputs avoid the places where lvsd deliberately differs (see blocks.ts and lexer.ts).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../../../src/config/parse.js';

const inputs: Record<string, string> = {
  sequences: '~SEQ(i, 5, 2) a$i\n~SEQ(i, -2) b$i\n~SEQ(i, 010, 3, 0x10) c$i\n$N=2\n~SEQ(i, $N) d$i\n~SEQx(A, 0x90, 0x10, 0xa0) ~SEQx(B, 0x12, -1, 0x11) f${A}:${B}\n',
  lists: '~LST({a,b},{1},2) e${a}.$b\n~LST(IP, 1, 2) ~LST(P, 5,6) n${IP}${P}\n~LST({a,b},{1,2},{3}) l$a.$b\n',
  parameters: '$B=10.2.${S}\n$S=0\nx${B}.1\n$S=7\ny${B}.1\n$U=u\n$U v\nz${U},w\n"q${U} r"\n',
  conditionals: '@kt c1\n@other c2\n@^other c3\n@^kt c4\n@kt $P=240\np$P\n$IF=@kt\n$IF c5\n',
  multiline: '$M= \\\nm1_$V \\\n# comment\n  m2 \\\n\nm3\n$V=v\n$M\n$G=~SEQ(j,1,2) g${j}\n$j=stale\n$G\n',
  comments: 'k1 # c\nk2 ! c\n"k3 # x"\nk\\#4\n   k5\t\n',
};

const probe = spawnSync('keepalived', ['--version'], { encoding: 'utf8' });
const available = probe.status === 0 && /v2\.2\.7/.test(`${probe.stdout}${probe.stderr}`);

if (!available) {
  const reason = 'keepalived 2.2.7 is not installed here (the Debian package provides /usr/sbin/keepalived)';
  t.comment(`skipping: ${reason}`);
  t.test('agrees with keepalived -t', { skip: reason }, async () => {});
} else {
  const dir = mkdtempSync(join(tmpdir(), 'lvsd-kadiff-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(inputs)) {
    t.test(`agrees with keepalived -t: ${name}`, async (t) => {
      const file = join(dir, `${name}.conf`);
      writeFileSync(file, text);
      const run = spawnSync('keepalived', ['-t', '-f', file, '-i', 'kt'], { cwd: dir, encoding: 'utf8', timeout: 20000 });
      // The parent process reports first and without a file name; the children repeat it with one.
      const theirs = [...`${run.stderr}${run.stdout}`.matchAll(/^\(Line (\d+)\) Unknown keyword '(.*)'$/gm)].map((m) => `${m[1]} ${m[2]}`);
      const r = parseConfigText(text, { file, configId: 'kt' });
      const ours = r.nodes.map((n) => `${n.loc.line} ${n.keyword}`);
      t.ok(theirs.length > 0, 'keepalived reported the statements');
      t.same(ours, theirs);
    });
  }
}
