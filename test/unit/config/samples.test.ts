// Every sample configuration shipped with the installed keepalived parses without errors.
import t from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigFile } from '../../../src/config/parse.js';
import { nodeConfigFs } from '../../../src/platform/node-fs.js';
import { errors } from './fixtures/shape.js';

const DIR = '/usr/share/doc/keepalived/samples';

const samples = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.startsWith('keepalived.conf.')).sort() : [];

if (samples.length === 0) {
  const reason = `no keepalived samples in ${DIR} (install the keepalived package to run this test)`;
  t.comment(`skipping: ${reason}`);
  t.test('installed keepalived samples', { skip: reason }, async () => {});
} else {
  for (const name of samples) {
    t.test(name, async (t) => {
      for (const configId of ['lvs', 'high', 'low']) {
        const r = parseConfigFile(join(DIR, name), { ...nodeConfigFs(), configId });
        t.same(errors(r.diagnostics), [], `no errors with config id ${configId}`);
        t.ok(r.nodes.length > 0, 'a non-empty tree');
        t.ok(r.nodes.every((n) => n.loc.file === join(DIR, name) && n.loc.line > 0), 'located');
      }
    });
  }
  t.test('the conditional sample follows the config id', async (t) => {
    const pick = (id: string) => {
      const r = parseConfigFile(join(DIR, 'keepalived.conf.conditional_conf'), { ...nodeConfigFs(), configId: id });
      const vi = r.nodes.find((n) => n.keyword === 'vrrp_instance');
      return vi?.children?.find((n) => n.keyword === 'priority')?.args;
    };
    t.same(pick('high'), ['170']);
    t.same(pick('low'), ['85']);
    t.equal(pick('other'), undefined);
  });
}
