// Includes through the real file system (node-fs.ts) in a temporary directory.
import t from 'tap';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigFile, parseConfigText } from '../../../src/config/parse.js';
import { nodeConfigFs } from '../../../src/platform/node-fs.js';
import { errors, shape, where } from './fixtures/shape.js';

const dir = mkdtempSync(join(tmpdir(), 'lvsd-include-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string): string => {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};

const main = write(
  'keepalived.conf',
  ['global_defs {', '  router_id ${_INSTANCE}', '}', 'include conf.d/*.conf', 'include vs/{web,dns}.conf', 'here ${_PWD}'].join('\n'),
);
write('conf.d/20-b.conf', 'b_conf ${_PWD}\n');
write('conf.d/10-a.conf', 'a_conf\ninclude ../shared/rs.conf\n');
write('conf.d/.hidden.conf', 'hidden\n');
write('conf.d/notes.txt', 'not a conf\n');
write('shared/rs.conf', 'shared ${_PWD}\n');
write('vs/web.conf', 'virtual_server 10.0.0.1 80 {\n  include ../shared/rs.conf\n}\n');
write('vs/dns.conf', 'virtual_server 10.0.0.1 53 {\n}\n');

t.test('a configuration spread over directories', async (t) => {
  const r = parseConfigFile(main, { ...nodeConfigFs(), configId: 'lb1' });
  t.same(r.diagnostics, []);
  t.same(shape(r.nodes), [
    ['global_defs', ['router_id lb1']],
    'a_conf',
    `shared ${dir}/shared`,
    `b_conf ${dir}/conf.d`,
    ['virtual_server 10.0.0.1 80', [`shared ${dir}/shared`]],
    ['virtual_server 10.0.0.1 53', []],
    `here ${dir}`,
  ]);
  t.same(r.nodes[1].loc, { file: join(dir, 'conf.d/10-a.conf'), line: 1 });
  t.same(r.nodes[2].loc, { file: join(dir, 'shared/rs.conf'), line: 1 });
  t.same(r.nodes[6].loc, { file: main, line: 6 });
});

t.test('relative main file and text with a base name', async (t) => {
  const r = parseConfigFile('keepalived.conf', { ...nodeConfigFs(), cwd: dir, configId: 'lb1' });
  t.same(errors(r.diagnostics), []);
  t.equal(r.nodes.length, 7);
  const text = parseConfigText('include shared/rs.conf\n', { ...nodeConfigFs(), file: join(dir, 'inline.conf') });
  t.same(shape(text.nodes), [`shared ${dir}/shared`]);
});

t.test('refused and missing files', async (t) => {
  const exec = write('exec.conf', 'x\n');
  chmodSync(exec, 0o755);
  const r = parseConfigText('include exec.conf\nincluder exec.conf\ninclude gone/*.conf\nincludea gone.conf\n', { ...nodeConfigFs(), file: join(dir, 'm.conf') });
  t.same(where(r.diagnostics), [
    `warning LVSD_W_CONFIG_INCLUDE ${join(dir, 'm.conf')}:1`,
    `error LVSD_E_CONFIG_INCLUDE ${join(dir, 'm.conf')}:2`,
    `warning LVSD_W_CONFIG_INCLUDE ${join(dir, 'm.conf')}:3`,
    `error LVSD_E_CONFIG_INCLUDE ${join(dir, 'm.conf')}:4`,
  ]);
  t.match(r.diagnostics[0].message, /executable/);
  t.match(r.diagnostics[2].message, /directory does not exist/);
  const missing = parseConfigFile(join(dir, 'nothere.conf'), nodeConfigFs());
  t.match(missing.diagnostics, [{ severity: 'error', code: 'LVSD_E_CONFIG_INCLUDE', loc: { file: join(dir, 'nothere.conf'), line: 0 } }]);
  t.same(missing.nodes, []);
});

t.test('an include cycle through the disk', async (t) => {
  const a = write('cycle/a.conf', 'a\ninclude b.conf\n');
  write('cycle/b.conf', 'b\ninclude ./a.conf\n');
  const r = parseConfigFile(a, nodeConfigFs());
  t.same(shape(r.nodes), ['a', 'b']);
  t.same(where(r.diagnostics), [`error LVSD_E_CONFIG_INCLUDE ${join(dir, 'cycle/b.conf')}:2`]);
});
